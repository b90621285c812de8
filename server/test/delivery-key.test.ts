import t from 'tap'
import { canonicalJson, deliveryKey } from '../webhooks/delivery-key.js'
import { bookingPayload, envelope } from './webhook-factory.js'

t.test('the canonical form never changes: stored delivery keys were made with it', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}', 'keys sorted at every depth, arrays in order')
  t.equal(canonicalJson({ 10: 'x', 9: 'y', a: 'z', '01': 'w' }), '{"9":"y","10":"x","01":"w","a":"z"}', 'index-like keys first, in numeric order')
  t.equal(canonicalJson({ s: 'ñ "q" \\ \n 🙏', n: -0, e: 1e21 }), '{"e":1e+21,"n":0,"s":"ñ \\"q\\" \\\\ \\n 🙏"}', 'strings and numbers as JSON.stringify writes them')
  t.equal(canonicalJson(undefined), 'null')
})

t.test('a redelivery keeps its key; another state or trigger does not', async (t) => {
  const body = JSON.parse(envelope('BOOKING_CREATED', bookingPayload(), '2026-01-05T15:00:00.000Z'))
  const resent = JSON.parse(envelope('BOOKING_CREATED', bookingPayload(), '2026-01-05T15:09:00.000Z'))
  t.equal(deliveryKey('BOOKING_CREATED', 'u', body), deliveryKey('BOOKING_CREATED', 'u', resent), 'the envelope createdAt is left out')
  t.not(deliveryKey('BOOKING_CREATED', 'u', body), deliveryKey('BOOKING_CANCELLED', 'u', body))
  const changed = JSON.parse(envelope('BOOKING_CREATED', bookingPayload({ title: 'Another' })))
  t.not(deliveryKey('BOOKING_CREATED', 'u', body), deliveryKey('BOOKING_CREATED', 'u', changed))
})
