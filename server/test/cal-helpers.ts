import { startSandbox } from '../../demo/sandbox/standalone.js'
import { CalClient, type CalClientOptions } from '../cal/client.js'
import type { Clock } from '../clock.js'

interface Teardown { teardown(fn: () => unknown): void }

/**
 * The sandbox Cal.com on a real port, and a client to it that records every call it makes, so a
 * test can say exactly how many times Cal.com was asked for what.
 */
export async function startCal(t: Teardown, options: { clock?: Clock; client?: Partial<CalClientOptions> } = {}) {
  const sandbox = await startSandbox(options.clock ? { clock: options.clock } : {})
  t.teardown(() => sandbox.close())
  const calls: string[] = []
  const countingFetch: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname.replace(/^\/sandbox\/cal\/v2/, '')}`)
    return fetch(input, init)
  }
  const client = (overrides: Partial<CalClientOptions> = {}) => new CalClient({
    apiUrl: `${sandbox.url}/v2`, clientId: 'sandbox-client', clientSecret: 'sandbox-secret',
    fetch: countingFetch, retryBaseMs: 5, timeoutMs: 2_000, ...options.client, ...overrides,
  })
  return { sandbox, calls, client, count: (pattern: RegExp) => calls.filter((c) => pattern.test(c)).length }
}

export const CREATE = /^POST \/oauth-clients\/[^/]+\/users$/
export const REFRESH = /^POST \/oauth\/[^/]+\/refresh$/
export const FORCE_REFRESH = /^POST \/oauth-clients\/[^/]+\/users\/\d+\/force-refresh$/
