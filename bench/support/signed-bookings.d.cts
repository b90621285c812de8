interface SignedDelivery { body: string; headers: Record<string, string> }
/** One stream of deliveries: new bookings named `${prefix}n`, or `trigger` for each of `uids` in turn. */
interface BenchStream { prefix: string; trigger?: string; uids?: string[] }
declare function setupRequest<R extends { bench: BenchStream }>(request: R): R & SignedDelivery
declare namespace setupRequest {
  function delivery(uid: string, n: number, trigger?: string, note?: string): SignedDelivery
  const SECRET: string
}
export = setupRequest
