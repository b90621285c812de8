import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { ManagedUsersSnapshot } from './managed-users.js'
import type { OAuthClientWebhook, SandboxBooking } from './types.js'
import type { UserWebhook } from './user-webhooks.js'

export interface Snapshot {
  version: 1
  clientId: string
  managedUsers: ManagedUsersSnapshot
  bookingSeq: number
  bookings: SandboxBooking[]
  webhooks: OAuthClientWebhook[]
  userWebhooks?: UserWebhook[]
}

/** The saved state, or undefined when there is none (or it is unreadable: the sandbox then starts afresh). */
export function readSnapshot(file: string): Snapshot | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot
    return data.version === 1 ? data : undefined
  } catch {
    return undefined
  }
}

/** Written whole to a temporary file and renamed, so a crash never leaves half a file. */
export function writeSnapshot(file: string, snapshot: Snapshot) {
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(snapshot))
  renameSync(tmp, file)
}
