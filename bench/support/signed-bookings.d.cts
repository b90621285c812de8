interface SignedDelivery { body: string; headers: Record<string, string> }
declare function setupRequest<R extends { bench: setupRequest.BenchStream }>(request: R): R & SignedDelivery
declare namespace setupRequest {
  /** One stream of deliveries: new bookings named `${prefix}n`, or `trigger` for each of `uids` in turn. */
  interface BenchStream { secret: string; prefix: string; trigger?: string; uids?: string[] }
  function delivery(secret: string, uid: string, n: number, trigger?: string, note?: string): SignedDelivery
}
export = setupRequest
