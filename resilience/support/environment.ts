import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Fresh secrets for one scenario. None is a well-known sandbox value, so finding any of them in
 * the captured output is a real leak.
 */
export function scenarioSecrets() {
  return {
    webhookSecret: `whsec-${randomBytes(18).toString('hex')}`,
    adminApiKey: `admin-${randomBytes(18).toString('hex')}`,
    tokenApiKey: `token-${randomBytes(18).toString('hex')}`,
    memberAssertionSecret: `member-${randomBytes(18).toString('hex')}`,
    tokenEncryptionKey: randomBytes(32).toString('base64'),
    calClientSecret: `calsecret-${randomBytes(18).toString('hex')}`,
  }
}

export type ScenarioSecrets = ReturnType<typeof scenarioSecrets>

/** Every secret a scenario's servers hold, by name, for the scan of their output. */
export function namedSecrets(secrets: ScenarioSecrets): Record<string, string> {
  return {
    'Cal.com client secret': secrets.calClientSecret,
    'admin API key': secrets.adminApiKey,
    'token API key': secrets.tokenApiKey,
    'webhook secret': secrets.webhookSecret,
    'token encryption key': secrets.tokenEncryptionKey,
    'member assertion secret': secrets.memberAssertionSecret,
  }
}

/**
 * The product's environment for a scenario: its secrets, a data dir of its own, info-level logs.
 * CAL_API_URL is left to the scenario: unset, it is Cal.com's hosted API, which the webhook
 * scenarios never call.
 */
export function serverEnv(secrets: ScenarioSecrets, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'churchhub-resilience-')),
    CAL_CLIENT_ID: 'resilience-client',
    CAL_CLIENT_SECRET: secrets.calClientSecret,
    CAL_WEBHOOK_SECRET: secrets.webhookSecret,
    ADMIN_API_KEY: secrets.adminApiKey,
    TOKEN_API_KEY: secrets.tokenApiKey,
    MEMBER_ASSERTION_SECRET: secrets.memberAssertionSecret,
    TOKEN_ENCRYPTION_KEY: secrets.tokenEncryptionKey,
    LOG_LEVEL: 'info',
    // Callers are told apart by X-Forwarded-For, as behind a load balancer, so per-IP rate
    // limits do not stand in for what a scenario measures.
    TRUST_PROXY: 'true',
    ...extra,
  }
}

export const logFile = (scenario: string) => join(new URL('..', import.meta.url).pathname, '.logs', `${scenario}.log`)
