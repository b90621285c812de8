import { sql } from 'kysely'
import type { HostRow } from '../../db/schema.js'
import type { Executor } from '../audit.js'

export interface EventTypeInfo { slug: string; title: string; length: number }
export interface HostInput {
  username: string
  name: string
  calLink: string
  calOrigin?: string | null | undefined
  eventTypes?: EventTypeInfo[] | undefined
}

export function findHost(db: Executor, username: string): Promise<HostRow | undefined> {
  return db.selectFrom('hosts').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst()
}

/** Insert or replace by username; `created` tells which happened. */
export async function upsertHost(db: Executor, host: HostInput, now: Date): Promise<{ row: HostRow; created: boolean }> {
  const values = toRow(host, now)
  const result = await db.insertInto('hosts').values(values)
    .onConflict((oc) => oc.column('username').doUpdateSet({
      name: values.name, cal_link: values.cal_link, cal_origin: values.cal_origin, event_types: values.event_types, updated_at: now,
    }))
    // xmax is 0 only on a row this statement inserted.
    .returningAll().returning(sql<boolean>`(xmax = 0)`.as('created'))
    .executeTakeFirstOrThrow()
  const { created, ...row } = result
  return { row, created }
}

/** Adds the host unless one with that username exists; true when it was added. Safe for two replicas at once. */
export async function insertHostIfAbsent(db: Executor, host: HostInput, now: Date): Promise<boolean> {
  const result = await db.insertInto('hosts').values(toRow(host, now)).onConflict((oc) => oc.column('username').doNothing()).executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

function toRow(host: HostInput, now: Date) {
  return {
    username: host.username.toLowerCase(),
    name: host.name,
    cal_link: host.calLink,
    cal_origin: host.calOrigin ?? null,
    event_types: JSON.stringify(host.eventTypes ?? []),
    updated_at: now,
  }
}
