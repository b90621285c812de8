import type { FastifyBaseLogger } from 'fastify'
import { freePort } from '../../demo/start-server.js'
import { startSandbox } from '../../demo/sandbox/standalone.js'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import { build, testConfig } from './helpers.js'

interface Teardown { teardown(fn: () => unknown): void }

export const ADMIN = { authorization: 'Bearer sandbox-admin-key' }

/**
 * The product listening on a real port, and the sandbox Cal.com on another, as a church's server
 * and Cal.com are: connections subscribe webhooks that the sandbox delivers over HTTP.
 */
export async function connectedSetup(t: Teardown, options: { clock?: Clock; config?: Partial<Config>; logger?: FastifyBaseLogger } = {}) {
  const sandbox = await startSandbox(options.clock ? { clock: options.clock } : {})
  t.teardown(() => sandbox.close())
  const port = await freePort()
  const base = testConfig({ PORT: String(port) })
  const config: Config = { ...base, publicUrl: `http://127.0.0.1:${port}`, cal: { ...base.cal, apiUrl: `${sandbox.url}/v2` }, ...options.config }
  const built = await build(t, { config, ...(options.clock ? { clock: options.clock } : {}), ...(options.logger ? { logger: options.logger } : {}) })
  await built.app.listen({ port, host: '127.0.0.1' })
  const inject = built.app.inject.bind(built.app)
  const connect = (username: string, apiKey = `cal_sandbox_${username}`) =>
    inject({ method: 'POST', url: `/admin/hosts/${username}/connection`, headers: ADMIN, payload: { apiKey } })
  const reconcile = (payload?: object) => inject({ method: 'POST', url: '/admin/reconcile', headers: ADMIN, ...(payload ? { payload } : {}) })
  const bookings = async () => (await inject({ method: 'GET', url: '/admin/bookings?limit=100', headers: ADMIN })).json().bookings as { uid: string; status: string; startTime: string; rescheduledToUid: string | null }[]
  return { ...built, sandbox, config, connect, reconcile, bookings, inject }
}
