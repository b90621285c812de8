/**
 * How long the HTTP server waits on a client, chosen rather than inherited: Fastify switches Node's
 * request timeout off, and Node's keep-alive timeout (5 s) is shorter than a proxy's.
 */
export const SERVER_TIMEOUTS = {
  /** A client has 10 s to send its request headers: one trickling them (slowloris) loses its socket. */
  headersTimeout: 10_000,
  /**
   * And 30 s for the whole request, body included (1 MB at most, a slow phone line's worth). It
   * bounds receiving only: answering may take longer (a Cal.com call has deadlines of its own).
   */
  requestTimeout: 30_000,
  /**
   * An idle keep-alive connection stays open 65 s: longer than the 60 s idle timeout of common
   * proxies and load balancers (nginx upstream keep-alive, AWS ALB), so the proxy closes it first
   * and never sends a request down a connection this server is closing (a sporadic 502).
   */
  keepAliveTimeout: 65_000,
  /** How often Node enforces the two limits above; its default (30 s) would let them run 30 s late. */
  connectionsCheckingInterval: 2_000,
} as const
