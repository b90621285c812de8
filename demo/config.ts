import { type Config, loadConfig } from '../server/config.js'

/**
 * The demo's configuration: the product's, except that without CAL_API_URL the offline sandbox
 * stands in (on a loopback HOST only, unless SANDBOX_ALLOW_PUBLIC_HOST=true) and PUBLIC_URL
 * defaults to the address the demo listens on.
 */
export function loadDemoConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(env, { allowSandbox: true })
}
