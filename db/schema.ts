import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** Timestamps are written as Date and read back as Date (pg and PGlite both parse timestamptz). */
type Timestamp = ColumnType<Date, Date | string, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json = ColumnType<unknown, string, string>

/** A Cal.com managed user we hold tokens for: a host or a signed-in member. */
export interface CalUsersTable {
  id: Generated<number>
  /** Our own key for the person: the email they were minted for, lower-cased. */
  email: string
  name: string
  cal_user_id: number
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
  last_payload: Json
  /** The booker's notes; returned by the admin read only, never logged. */
  notes: string | null
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
  raw_body: string
  outcome: string
  received_at: CreatedAt
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
  cal_users: CalUsersTable
  hosts: HostsTable
  bookings: BookingsTable
  webhook_deliveries: WebhookDeliveriesTable
  audit_log: AuditLogTable
  forms: FormsTable
  form_responses: FormResponsesTable
}

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
