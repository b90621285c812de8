import { Writable } from 'node:stream'
import pino from 'pino'
import { testDatabase } from '../../db/testing.js'
import { type AppOptions, buildApp } from '../app.js'
import { ManualClock } from '../clock.js'
import { type Config, loadConfig } from '../config.js'
import { loggerOptions } from '../logger.js'

interface Teardown { teardown(fn: () => unknown): void }

/** Sandbox-mode configuration with quiet logs, plus whatever the test changes. */
export function testConfig(env: NodeJS.ProcessEnv = {}, overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'memory://', ...env }), ...overrides }
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

/** Builds the app on a database of the test's own; closed when the test ends. */
export async function build(t: Teardown, options: Partial<AppOptions> = {}) {
  const database = options.db ? undefined : await testDatabase(t)
  const clock = options.clock ?? new ManualClock()
  const app = await buildApp({
    config: options.config ?? testConfig(),
    db: options.db ?? database!.db,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  })
  t.teardown(() => app.close())
  return { app, db: options.db ?? database!.db, clock, database }
}
