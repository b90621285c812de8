import { z } from 'zod'
import { AppError } from '../errors.js'

/** Admin lists page newest first by row id; the cursor is opaque so the order can change without breaking clients. */
const PREFIX = 'v1:'

export const encodeCursor = (lastId: number) => Buffer.from(`${PREFIX}${lastId}`).toString('base64url')

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const id = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : NaN
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new AppError(400, 'invalid_cursor', 'cursor: not a cursor this server gave out; start again without one.')
  }
  return id
}

export const MAX_PAGE_SIZE = 100
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  cursor: z.string().min(1).optional(),
}

/** Splits one extra row fetched past the page into the next cursor. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null }
}
