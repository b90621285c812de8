import type { Migration } from 'kysely'
import * as initial from './2026-11-24T10-00_initial.js'

/** Listed here rather than read from disk, so the same list runs from sources and from a build. */
export const migrations: Record<string, Migration> = {
  '2026-11-24T10-00_initial': initial,
}
