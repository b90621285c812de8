import { createHash } from 'node:crypto'
import type { TokenCipher } from '../tokens/crypto.js'
import { isSealed } from './key-ring.js'

/** What code that stores personal data needs of the key ring. */
export type Sealer = Pick<TokenCipher, 'encrypt' | 'decrypt' | 'blindIndex'>

/** Seals a value for a column; null stays null. */
export const seal = (ring: Sealer, value: string | null | undefined): string | null =>
  value === null || value === undefined ? null : ring.encrypt(value)

/**
 * Opens a column's value. A value that is not a ciphertext is plain text written before the
 * columns were sealed (migration 2026-11-25T12-00), passed through until keys:rotate seals it.
 */
export const unseal = (ring: Sealer, value: string | null | undefined): string | null =>
  value === null || value === undefined ? null : isSealed(value) ? ring.decrypt(value) : value

/** The blind index of an email, or null without one. */
export const indexOf = (ring: Sealer, email: string | null | undefined): string | null =>
  email ? ring.blindIndex(email) : null

/** SHA-256 (hex) of a raw body: what stays of it once it is dropped. */
export const digestOf = (raw: string) => createHash('sha256').update(raw, 'utf8').digest('hex')

/** The booking columns that hold sealed personal data. */
export const SEALED_BOOKING_COLUMNS = ['title', 'attendee_name', 'attendee_email', 'notes', 'last_payload'] as const

/** A booking row with its sealed columns opened (`last_payload` parsed). */
export function openBookingRow<R extends Partial<Record<(typeof SEALED_BOOKING_COLUMNS)[number], string | null>>>(ring: Sealer, row: R) {
  const payload = unseal(ring, row.last_payload)
  return {
    ...row,
    title: unseal(ring, row.title), attendee_name: unseal(ring, row.attendee_name),
    attendee_email: unseal(ring, row.attendee_email), notes: unseal(ring, row.notes),
    last_payload: payload === null ? null : JSON.parse(payload) as unknown,
  }
}
