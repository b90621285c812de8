import { z } from 'zod'

/**
 * Cal.com API v2 as a host's own account answers it (me, event types, bookings, user webhooks,
 * OAuth tokens). Only the fields we use are checked; the rest passes through.
 */

/** GET /v2/me. */
export const Profile = z.looseObject({
  id: z.number().int(),
  email: z.string(),
  username: z.string(),
  name: z.string().nullable().optional(),
  timeZone: z.string().optional(),
})
export type Profile = z.infer<typeof Profile>

/** GET /v2/event-types (cal-api-version 2024-06-14). */
export const EventTypeV2 = z.looseObject({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  lengthInMinutes: z.number().int(),
  hidden: z.boolean().optional(),
})
export type EventTypeV2 = z.infer<typeof EventTypeV2>

const Attendee = z.looseObject({ name: z.string().nullish(), email: z.string().nullish(), timeZone: z.string().nullish() })
const Host = z.looseObject({ id: z.number().nullish(), name: z.string().nullish(), email: z.string().nullish(), username: z.string().nullish() })

/** BookingOutput_2024_08_13 (and its recurring / seated variants). */
export const BookingV2 = z.looseObject({
  id: z.number().int(),
  uid: z.string().min(1),
  title: z.string().nullish(),
  description: z.string().nullish(),
  hosts: z.array(Host).default([]),
  status: z.string(),
  cancellationReason: z.string().nullish(),
  rescheduledFromUid: z.string().nullish(),
  rescheduledToUid: z.string().nullish(),
  start: z.string(),
  end: z.string(),
  eventType: z.looseObject({ id: z.number().nullish(), slug: z.string().nullish() }).nullish(),
  createdAt: z.string(),
  updatedAt: z.string().nullish(),
  attendees: z.array(Attendee).default([]),
  bookingFieldsResponses: z.record(z.string(), z.unknown()).nullish(),
  /** The booking's metadata: where a questionnaire's response id travels (`churchhubResponse`). */
  metadata: z.record(z.string(), z.unknown()).nullish(),
})
export type BookingV2 = z.infer<typeof BookingV2>

/** The bookings list's `pagination` object. */
export const Pagination = z.looseObject({
  totalItems: z.number().int(),
  remainingItems: z.number().int(),
  returnedItems: z.number().int(),
  itemsPerPage: z.number().int(),
  currentPage: z.number().int(),
  totalPages: z.number().int(),
  hasNextPage: z.boolean(),
  hasPreviousPage: z.boolean(),
})
export type Pagination = z.infer<typeof Pagination>

/** UserWebhookOutputDto: `id` is a string at runtime though the DTO says number. */
export const UserWebhook = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  subscriberUrl: z.string(),
  triggers: z.array(z.string()),
  active: z.boolean(),
})
export type UserWebhook = z.infer<typeof UserWebhook>

/** POST /v2/auth/oauth2/token: bare JSON, no envelope. */
export const OAuthTokens = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
})
export type OAuthTokens = z.infer<typeof OAuthTokens>

/** The filters, sort and paging of GET /v2/bookings we send (all optional, ISO times). */
export interface BookingsQuery {
  afterUpdatedAt?: string
  afterCreatedAt?: string
  sortUpdatedAt?: 'asc' | 'desc'
  sortCreated?: 'asc' | 'desc'
  take?: number
  skip?: number
}
