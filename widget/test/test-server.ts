import { buildDemoApp } from '../../demo/app.js'
import { loadDemoConfig } from '../../demo/config.js'
import { SandboxState } from '../../demo/sandbox/state.js'
import { freePort } from '../../demo/start-server.js'
import { signMemberAssertion } from '../../server/tokens/member-assertion.js'

/**
 * The whole demo composition in sandbox mode, on an in-memory PGlite with the sandbox hosts,
 * listening on 127.0.0.1: the widget tests ask its real `/v1/hosts` and `/tokens` routes, and its
 * Cal.com sandbox serves embed.js and the booking pages. The state is the test's own, for faults and bookings.
 */
export async function startWidgetTestServer() {
  const port = await freePort()
  const config = loadDemoConfig({ PORT: String(port), DATA_DIR: 'memory://', LOG_LEVEL: 'silent' })
  const state = new SandboxState({
    clientId: config.cal.clientId,
    clientSecret: config.cal.clientSecret,
    webhookSecret: config.cal.webhookSecret,
    baseUrl: config.cal.origin,
    webhookTargets: [`http://127.0.0.1:${port}/webhooks/cal`],
  })
  const app = await buildDemoApp({ config, sandbox: state, tokenRateLimit: false })
  app.addHook('onClose', async () => { state.close() })
  await app.listen({ port, host: '127.0.0.1' })
  return {
    /** The server's own origin (API routes). */
    origin: `http://127.0.0.1:${port}`,
    /** The sandbox mount: Cal.com's origin and embed.js live under it. */
    url: config.cal.origin,
    state,
    faults: state.faults,
    /** What a church site's backend would put in `member-token`. */
    memberAssertion: (claims: { sub: string; email: string; name: string }) => signMemberAssertion(claims, config.memberAssertionSecret!),
    close: () => app.close(),
  }
}
