import type { LightMyRequestResponse } from 'fastify'
import { sign } from '../webhooks/signature.js'
import { testConfig } from './helpers.js'

/** The secret the test config (sandbox mode) verifies with. */
export const WEBHOOK_SECRET = testConfig().cal.webhookSecret!

/** One booking as Cal.com describes it (demo/test/calcom-examples/webhook-booking-created.json), with whatever a case changes. */
export function bookingPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const uid = (overrides.uid as string | undefined) ?? 'Kq2vN8xWbPj3TfYhR6mLzA'
  return {
    bookerUrl: 'https://app.cal.com',
    type: '30min',
    title: '30 minute meeting between Pastor Zack Miller and Bob Booker',
    description: 'Please pray for my family',
    additionalNotes: 'Please pray for my family',
    customInputs: {},
    startTime: '2026-01-07T15:00:00Z',
    endTime: '2026-01-07T15:30:00Z',
    organizer: { id: 4821, name: 'Pastor Zack Miller', email: 'zack@gracechurch.example', username: 'zack', timeZone: 'America/Chicago', language: { locale: 'en' }, timeFormat: 'h:mma', utcOffset: -360 },
    attendees: [{ email: 'bob@example.org', name: 'Bob Booker', firstName: 'Bob', lastName: 'Booker', timeZone: 'America/New_York', language: { locale: 'en' }, utcOffset: -300 }],
    responses: { name: { label: 'your_name', value: 'Bob Booker' }, email: { label: 'email_address', value: 'bob@example.org' }, notes: { label: 'additional_notes', value: 'Please pray for my family' } },
    location: `https://app.cal.com/video/${uid}`,
    iCalUID: `${uid}@Cal.com`,
    iCalSequence: 0,
    uid,
    bookingId: 70211,
    eventTypeId: 3141,
    length: 30,
    status: 'ACCEPTED',
    ...overrides,
  }
}

/** Compact JSON in Cal.com's key order: triggerEvent, createdAt, payload. */
export function envelope(trigger: string, payload: unknown, createdAt = '2026-01-05T15:00:00.000Z'): string {
  return JSON.stringify({ triggerEvent: trigger, createdAt, payload })
}

export function signedHeaders(body: string | Buffer, secret = WEBHOOK_SECRET): Record<string, string> {
  return { 'content-type': 'application/json', 'x-cal-signature-256': sign(secret, body), 'x-cal-webhook-version': '2021-10-20' }
}

interface Injector { inject(options: object): Promise<LightMyRequestResponse> }

/** POSTs a body as Cal.com would: signed with the secret unless the case says otherwise. */
export function deliver(app: Injector, body: string | Buffer, options: { headers?: Record<string, string | undefined>; url?: string } = {}) {
  const headers = Object.fromEntries(Object.entries({ ...signedHeaders(body), ...options.headers }).filter(([, v]) => v !== undefined))
  return app.inject({ method: 'POST', url: options.url ?? '/webhooks/cal', payload: body, headers })
}

/**
 * The chain of the contract's examples: booking A created, rescheduled to B, B cancelled, each
 * with Cal.com's iCalSequence and the reschedule fields pointing at A.
 */
export function bookingChain(a = 'Kq2vN8xWbPj3TfYhR6mLzA', b = 'Zt5pW1cYhG8rMn2LqVx4Eb') {
  const moved = { uid: b, bookingId: 70388, startTime: '2026-01-08T16:00:00Z', endTime: '2026-01-08T16:30:00Z', iCalUID: `${a}@Cal.com` }
  return {
    created: envelope('BOOKING_CREATED', bookingPayload({ uid: a }), '2026-01-05T15:00:00.000Z'),
    rescheduled: envelope('BOOKING_RESCHEDULED', bookingPayload({
      ...moved, iCalSequence: 1, rescheduleUid: a, rescheduleId: 70211,
      rescheduleStartTime: '2026-01-07T15:00:00Z', rescheduleEndTime: '2026-01-07T15:30:00Z', rescheduledBy: 'bob@example.org',
    }), '2026-01-05T16:00:00.000Z'),
    cancelled: envelope('BOOKING_CANCELLED', bookingPayload({
      ...moved, iCalSequence: 2, status: 'CANCELLED', cancellationReason: 'Something came up', cancelledBy: 'bob@example.org',
    }), '2026-01-05T17:00:00.000Z'),
  }
}
