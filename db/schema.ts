import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** Timestamps are written as Date and read back as Date (pg and PGlite both parse timestamptz). */
type Timestamp = ColumnType<Date, Date | string, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json = ColumnType<unknown, string, string>

/** A Cal.com managed user we hold tokens for: a host or a signed-in member. */
export interface CalUsersTable {
  id: Generated<number>
  /**
   * Sealed (server/privacy/sealed.ts): the email they were minted for, lower-cased. Plain text in a
   * row from before migration 2026-11-25T15-00 until keys:rotate seals it.
   */
  email: string
  /** Sealed, as the email. */
  name: string
  /** Our key for the person: the blind index of the email (unique); null until keys:rotate fills a row from before it. */
  email_index: ColumnType<string | null, string | null | undefined, string | null>
  cal_user_id: number
  /** Sealed, as the email: Cal.com makes it from the email. */
  cal_username: string | null
  /** AES-256-GCM ciphertexts, never the plain tokens. */
  access_token_enc: string
  refresh_token_enc: string
  access_token_expires_at: Timestamp
  refresh_token_expires_at: Timestamp
  /** A fingerprint (HMAC) of the current access token, so the refresh route can find its owner. */
  access_token_hash: string
  /** The fingerprint of the token it replaced, which Cal.com Atoms may still present to the refresh URL. */
  previous_access_token_hash: ColumnType<string | null, string | null | undefined, string | null>
  /** When that replaced token expired (or expires): the refresh URL takes it for a day after. */
  previous_access_token_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

/** A host visitors book: a regular Cal.com user or team with a public booking page. */
export interface HostsTable {
  id: Generated<number>
  username: string
  name: string
  cal_link: string
  cal_origin: string | null
  event_types: Json
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface BookingsTable {
  id: Generated<number>
  uid: string
  status: string
  title: string | null
  event_type: string | null
  start_time: Timestamp
  end_time: Timestamp
  host_username: string | null
  host_email: string | null
  /** Sealed, as are title (it names the attendee), notes and last_payload. */
  attendee_name: string | null
  attendee_email: string | null
  /** The booking this one replaced, when it came from a reschedule. */
  rescheduled_from_uid: string | null
  /** The booking that replaced this one. */
  rescheduled_to_uid: string | null
  last_trigger: string
  /** When the event last applied was created at Cal.com; an older event never overwrites a newer one. */
  last_event_at: Timestamp
  /** Cal.com's iCalSequence of the event last applied, when it carried one. */
  last_sequence: number | null
  /** Rank of the trigger last applied (a cancel outranks a create); see server/bookings/event-order.ts. */
  last_rank: ColumnType<number, number | undefined, number>
  /** Sealed (see server/privacy/sealed.ts): the booking as Cal.com last described it; null once erased. */
  last_payload: string | null
  /** Sealed: the booker's notes; returned by the admin read and export only, never logged. */
  notes: string | null
  /** The blind index of the attendee's email (a keyed hash), for lookups by email. */
  attendee_email_index: ColumnType<string | null, string | null | undefined, string | null>
  /** When retention or an erasure emptied the personal fields; the row stays, as a count. */
  erased_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** True once Cal.com marked an attendee as a no-show. */
  no_show: boolean | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface WebhookDeliveriesTable {
  id: Generated<number>
  /** Natural idempotency key: trigger + booking uid + a digest of the booking state. */
  delivery_key: string
  trigger_event: string
  booking_uid: string | null
  /** Sealed; emptied after RAW_DELIVERY_DAYS, on erasure, or never kept for an erased booking. */
  raw_body: string | null
  /** SHA-256 (hex) of the raw body, kept when the body is dropped. */
  raw_digest: ColumnType<string | null, string | null | undefined, string | null>
  outcome: string
  received_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface AuditLogTable {
  id: Generated<number>
  at: CreatedAt
  /** Who acted: `admin`, `member:<sub>`, `cal.com`, `system`, or an IP for rejected callers. */
  actor: string
  action: string
  subject: string | null
  detail: Json
}

/** A member assertion's jti, spent on minting a token; kept until the assertion expires. */
export interface MemberAssertionUsesTable {
  jti: string
  expires_at: Timestamp
}

/** Refused anonymous calls, counted per address, route, reason and minute (never what was sent). */
export interface AuditRefusalsTable {
  minute: Timestamp
  address: string
  route: string
  reason: string
  count: number
}

/** A host's own Cal.com account, connected by API key or OAuth (server/connections/). */
export interface HostConnectionsTable {
  host_id: number
  method: 'api_key' | 'oauth'
  /** TokenCipher ciphertext of the API key or the OAuth access token; never the plain value. */
  credential_enc: string
  refresh_token_enc: string | null
  access_token_expires_at: Timestamp | null
  cal_user_id: number
  cal_username: string
  /** The user webhook this server subscribed at Cal.com (its id; Cal.com gives it as a string). */
  webhook_id: string | null
  /** TokenCipher ciphertext of the per-host webhook secret. */
  webhook_secret_enc: string
  /** Cal.com's newest `updatedAt` / `createdAt` seen by the reconciliation (its own clock, not ours). */
  updated_watermark: Timestamp | null
  created_watermark: Timestamp | null
  last_reconcile_at: Timestamp | null
  /** Counts of the last successful run: fetched, created, updated, unchanged, requests. */
  last_reconcile: ColumnType<unknown, string | null | undefined, string | null>
  last_reconcile_error: string | null
  last_reconcile_error_at: Timestamp | null
  created_at: CreatedAt
  updated_at: Timestamp
}

/**
 * An OAuth authorization in flight: the `state` sent to Cal.com (as a digest), bound to a host.
 * No PKCE verifier: Cal.com's token endpoint refuses `code_verifier` from a confidential client.
 */
export interface OAuthStatesTable {
  state_hash: string
  host_id: number
  expires_at: Timestamp
}

/** One row per scheduled job: a lease only one replica holds at a time. */
export interface JobLocksTable {
  name: string
  holder: string | null
  lease_until: Timestamp | null
  last_started_at: Timestamp | null
  last_finished_at: Timestamp | null
}

/** A booking whose person was erased: later deliveries for it store no personal field. */
export interface ErasedBookingsTable {
  uid: string
  erased_at: Timestamp
}

/** One version of a questionnaire: a new row for every change, so answers keep the questions they answered. */
export interface FormsTable {
  id: Generated<number>
  slug: string
  version: number
  /** The form as the admin posted it (server/forms/form-schema.ts), validated. */
  definition: Json
  /** Set on every version of the slug when the form is archived. */
  archived_at: Timestamp | null
  created_at: CreatedAt
}

/** A visitor's answers to one form version, sealed with the app's cipher. */
export interface FormResponsesTable {
  id: Generated<number>
  /** Random, unguessable; travels to Cal.com as `metadata[churchhubResponse]`. */
  response_id: string
  form_id: number
  lang: string
  /** The answers as JSON, AES-256-GCM sealed; never stored in clear. */
  answers_enc: string
  /** The booking the answers belong to, once a webhook brought it; null until then. */
  booking_uid: string | null
  linked_at: Timestamp | null
  /** Written from the app's clock, so the 24-hour purge can be tested. */
  created_at: Timestamp
}

export interface Database {
  erased_bookings: ErasedBookingsTable
  cal_users: CalUsersTable
  hosts: HostsTable
  bookings: BookingsTable
  webhook_deliveries: WebhookDeliveriesTable
  audit_log: AuditLogTable
  member_assertion_uses: MemberAssertionUsesTable
  audit_refusals: AuditRefusalsTable
  host_connections: HostConnectionsTable
  oauth_states: OAuthStatesTable
  job_locks: JobLocksTable
  forms: FormsTable
  form_responses: FormResponsesTable
}

export type HostConnectionRow = Selectable<HostConnectionsTable>

export type CalUserRow = Selectable<CalUsersTable>
export type NewCalUser = Insertable<CalUsersTable>
export type CalUserUpdate = Updateable<CalUsersTable>
export type HostRow = Selectable<HostsTable>
export type BookingRow = Selectable<BookingsTable>
export type NewBooking = Insertable<BookingsTable>
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>
export type AuditRow = Selectable<AuditLogTable>
export type NewAuditRow = Insertable<AuditLogTable>
export type FormRow = Selectable<FormsTable>
export type FormResponseRow = Selectable<FormResponsesTable>
