import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { Faults } from './faults.js'
import { type SandboxOptions, sandboxPlugin } from './plugin.js'
import { SandboxState } from './state.js'

export const SANDBOX_MOUNT = '/sandbox/cal'

export interface RunningSandbox {
  /** The mount's base URL, e.g. http://127.0.0.1:40123/sandbox/cal (API at `${url}/v2`). */
  url: string
  state: SandboxState
  faults: Faults
  close(): Promise<void>
}

/**
 * The sandbox alone on 127.0.0.1 and a random port, for tests that need a real HTTP peer. Defaults:
 * the sandbox development client (`sandbox-client` / `sandbox-secret`, webhooks signed with
 * `sandbox-webhook-secret`), no default webhook targets, memory only.
 */
export async function startSandbox(options: Partial<SandboxOptions> & { logger?: boolean } = {}): Promise<RunningSandbox> {
  // The port must be known before the plugin is built, because baseUrl goes into pages and webhooks.
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SANDBOX_MOUNT}`
  const { logger = false, ...rest } = options
  const state = options.state ?? new SandboxState({
    clientId: rest.clientId ?? 'sandbox-client',
    clientSecret: rest.clientSecret ?? 'sandbox-secret',
    webhookSecret: rest.webhookSecret ?? 'sandbox-webhook-secret',
    baseUrl: url,
    ...(rest.webhookTargets ? { webhookTargets: rest.webhookTargets } : {}),
    ...(rest.clock ? { clock: rest.clock } : {}),
    ...(rest.dataFile ? { dataFile: rest.dataFile } : {}),
  })
  const app = Fastify({
    logger,
    serverFactory: (handler) => {
      server.on('request', handler)
      return server
    },
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  await app.register(sandboxPlugin, {
    baseUrl: url,
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    webhookSecret: state.webhookSecret ?? '',
    webhookTargets: state.webhookTargets,
    state,
    prefix: SANDBOX_MOUNT,
  } as SandboxOptions)
  await app.ready()

  return {
    url,
    state,
    faults: state.faults,
    async close() {
      state.close()
      await app.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
