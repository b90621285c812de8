import type { AddressInfo } from 'node:net'
import type { App } from './app.js'
import { type Config, ConfigError } from './config.js'

/** How long a shutdown may take to finish in-flight requests before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000

/** The configuration, or the process ends with one line per bad or missing variable. */
export function configOrExit(load: () => Config): Config {
  try {
    return load()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`)
    process.exit(1)
  }
}

/** The built app (its database opened, migrated and seeded), or the process ends saying why not. */
export async function appOrExit(build: () => Promise<App>): Promise<App> {
  try {
    return await build()
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
}

/**
 * Listens where the config says. SIGINT or SIGTERM closes the app: in-flight requests finish,
 * then the database closes (onClose); past the grace period the process exits regardless.
 */
export async function serve(app: App, config: Config): Promise<AddressInfo> {
  let closing = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return
      closing = true
      app.log.info({ signal }, 'shutting down: finishing in-flight requests')
      const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS)
      force.unref()
      app.close().then(() => process.exit(0), () => process.exit(1))
    })
  }
  await app.listen({ port: config.port, host: config.host })
  return app.server.address() as AddressInfo
}
