import { Writable } from 'node:stream'
import pino from 'pino'
import { testDatabase } from '../../db/testing.js'
import { type AppOptions, buildApp } from '../app.js'
import { ManualClock } from '../clock.js'
import { type Config, loadConfig } from '../config.js'
import { loggerOptions } from '../logger.js'

interface Teardown { teardown(fn: () => unknown): void }

/**
 * Sandbox-mode configuration (as the demo composition reads it: without CAL_API_URL the sandbox's
 * development values) with quiet logs, plus whatever the test changes.
 */
/** A complete real-mode environment (a real Cal.com, every secret set), for configuration tests. */
export const REAL_ENV = {
  CAL_API_URL: 'https://api.cal.com/v2',
  CAL_CLIENT_ID: 'client-123',
  CAL_CLIENT_SECRET: 'a-real-client-secret',
  CAL_WEBHOOK_SECRET: 'a-real-webhook-secret',
  ADMIN_API_KEY: 'a-long-admin-api-key-000',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  PUBLIC_URL: 'https://booking.gracechurch.org',
}

export function testConfig(env: NodeJS.ProcessEnv = {}, overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'memory://', ...env }, { allowSandbox: true }), ...overrides }
}

/** A pino logger whose every line is kept, to check what reaches the log. */
export function captureLogger() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done() },
  })
  const logger = pino(loggerOptions('trace'), stream)
  return { logger, lines, text: () => lines.join('\n') }
}

/**
 * Builds a composition with every option the test gives, on a database of the test's own unless
 * it hands one in, with the test config and a manual clock unless it gives others; closed when
 * the test ends.
 */
export async function buildWith<O extends AppOptions, A extends { close(): Promise<unknown> }>(
  t: Teardown, options: Partial<O>, compose: (options: O) => Promise<A>,
) {
  const database = options.db ? undefined : await testDatabase(t)
  const db = options.db ?? database!.db
  const clock = options.clock ?? new ManualClock()
  const app = await compose({ ...options, config: options.config ?? testConfig(), db, clock } as O)
  t.teardown(() => app.close())
  return { app, db, clock, database }
}

/** The product (no sandbox, no demo pages), as `build` in a test file means it. */
export function build(t: Teardown, options: Partial<AppOptions> = {}) {
  return buildWith(t, options, buildApp)
}
