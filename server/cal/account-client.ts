import { z } from 'zod'
import type { CallOptions, CalTransport, RateLimitInfo } from './transport.js'
import { BookingV2, type BookingsQuery, EventTypeV2, OAuthTokens, Pagination, Profile, UserWebhook } from './v2-schemas.js'

/** The versions each route needs (docs/connecting-cal-com.md, "The Cal.com facts this relies on"): without one, the old shape or a 404. */
export const EVENT_TYPES_VERSION = '2024-06-14'
export const BOOKINGS_VERSION = '2024-08-13'

/** The booking triggers a host's webhook subscribes to. */
export const HOST_WEBHOOK_TRIGGERS = ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REQUESTED', 'BOOKING_REJECTED', 'BOOKING_NO_SHOW_UPDATED'] as const

export interface BookingsPage { bookings: BookingV2[]; pagination: Pagination; rateLimit: RateLimitInfo }

/**
 * Calls on a host's own Cal.com account, with its API key or OAuth access token as the bearer.
 * Shares the transport (timeouts, retries, error mapping) with the Platform client.
 */
export class CalAccountClient {
  constructor(readonly transport: CalTransport) {}

  async me(bearer: string, call?: CallOptions) {
    return (await this.transport.request('read /me', 'GET', '/me', Profile, { bearer, ...call })).data
  }

  async eventTypes(bearer: string, call?: CallOptions) {
    const answer = await this.transport.request('list event types', 'GET', '/event-types', EventTypeV2.array(), { bearer, apiVersion: EVENT_TYPES_VERSION, ...call })
    return answer.data
  }

  async listBookings(bearer: string, query: BookingsQuery, call?: CallOptions): Promise<BookingsPage> {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))
    const answer = await this.transport.request('list bookings', 'GET', `/bookings?${params}`, BookingV2.array(), { bearer, apiVersion: BOOKINGS_VERSION, ...call })
    const pagination = Pagination.safeParse(answer.body.pagination)
    if (!pagination.success) throw new Error('Cal.com\'s bookings list came without its pagination object')
    return { bookings: answer.data, pagination: pagination.data, rateLimit: answer.rateLimit }
  }

  async getBooking(bearer: string, uid: string, call?: CallOptions) {
    const answer = await this.transport.request('read a booking', 'GET', `/bookings/${encodeURIComponent(uid)}`, z.union([BookingV2, BookingV2.array()]), { bearer, apiVersion: BOOKINGS_VERSION, ...call })
    return answer.data
  }

  async createWebhook(bearer: string, input: { subscriberUrl: string; secret: string; triggers?: readonly string[] }, call?: CallOptions) {
    const body = { subscriberUrl: input.subscriberUrl, active: true, triggers: input.triggers ?? HOST_WEBHOOK_TRIGGERS, secret: input.secret }
    return (await this.transport.request('create a webhook', 'POST', '/webhooks', UserWebhook, { bearer, body, ...call })).data
  }

  async listWebhooks(bearer: string, call?: CallOptions) {
    return (await this.transport.request('list webhooks', 'GET', '/webhooks?take=250', UserWebhook.array(), { bearer, ...call })).data
  }

  async deleteWebhook(bearer: string, id: string, call?: CallOptions) {
    return (await this.transport.request('delete a webhook', 'DELETE', `/webhooks/${encodeURIComponent(id)}`, UserWebhook, { bearer, ...call })).data
  }

  /** POST /v2/auth/oauth2/token: the confidential client's code exchange or refresh (no extra keys: Cal.com refuses them). */
  async oauthToken(body: Record<string, string>, call?: CallOptions) {
    return (await this.transport.request('exchange an OAuth grant', 'POST', '/auth/oauth2/token', OAuthTokens, { body, bare: true, ...call })).data
  }
}
