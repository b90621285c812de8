import type { Delivery } from './storm.js'

/** Runs `work` over `items` with at most `concurrency` at once, in order of the list. */
export async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index]!, index)
    }
  })
  await Promise.all(lanes)
}

/** Posts one delivery as Cal.com does; resolves with the status, rejects on a network failure. */
export async function postDelivery(baseUrl: string, delivery: Delivery, timeoutMs = 30_000): Promise<number> {
  return (await postDeliveryForAnswer(baseUrl, delivery, timeoutMs)).status
}

/** The same, with the answer's body (`{"status":"duplicate"}` tells a delivery already stored). */
export async function postDeliveryForAnswer(baseUrl: string, delivery: Delivery, timeoutMs = 30_000): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}/webhooks/cal`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-cal-signature-256': delivery.signature,
      'x-cal-webhook-version': '2021-10-20',
    },
    body: delivery.body,
    signal: AbortSignal.timeout(timeoutMs),
  })
  return { status: response.status, text: await response.text() }
}

/** Status codes seen, as `{ "200": 3812, ... }`, for test output. */
export function tally(statuses: Iterable<number | string>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const s of statuses) counts[String(s)] = (counts[String(s)] ?? 0) + 1
  return counts
}
