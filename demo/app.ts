import { join } from 'node:path'
import { type AppOptions, buildApp } from '../server/app.js'
import { demoRoutes } from './routes.js'
import { sandboxPlugin } from './sandbox/plugin.js'
import type { SandboxState } from './sandbox/state.js'
import { SANDBOX_MOUNT } from './sandbox/standalone.js'
import { seedSandboxHosts } from './seed-sandbox-hosts.js'
import { seedQuestionnaire } from './questionnaire-form.js'
import type { Seed } from '../server/database.js'

export interface DemoAppOptions extends AppOptions {
  /**
   * In sandbox mode: false leaves the Cal.com sandbox unmounted; a SandboxState mounts that one
   * (tests share it, and close it themselves). Outside sandbox mode nothing is mounted.
   */
  sandbox?: false | SandboxState
}

/**
 * What `npm start` serves: the product, plus in sandbox mode the offline Cal.com at /sandbox/cal
 * with its hosts registered in a database the app opens, plus the demo church pages.
 */
export async function buildDemoApp(options: DemoAppOptions) {
  const { sandbox, ...product } = options
  const { config } = options
  const app = await buildApp({ ...product, seed: product.seed ?? (config.sandbox ? seedDemo : undefined) })
  if (config.sandbox && sandbox !== false) {
    await app.register(sandboxPlugin, {
      prefix: SANDBOX_MOUNT,
      baseUrl: config.cal.origin,
      clientId: config.cal.clientId,
      clientSecret: config.cal.clientSecret,
      webhookSecret: config.cal.webhookSecret,
      // The sandbox runs in this process: it delivers to the loopback address it listens on.
      webhookTargets: [`http://127.0.0.1:${config.port}/webhooks/cal`],
      clock: app.clock,
      ...(config.dataDir.startsWith('memory://') ? {} : { dataFile: join(config.dataDir, 'sandbox.json') }),
      ...(sandbox ? { state: sandbox } : {}),
    })
  }
  await app.register(demoRoutes)
  return app
}

/** The sandbox's hosts and the demo questionnaire. */
const seedDemo: Seed = async (db, now) => {
  await seedSandboxHosts(db, now)
  await seedQuestionnaire(db)
}

export type DemoApp = Awaited<ReturnType<typeof buildDemoApp>>
