import { z } from 'zod'
import { MIN_SECRET_BYTES } from './tokens/member-assertion.js'
import { parseEncryptionKeys, type RingKey } from './privacy/key-ring.js'

/** The well-known development values, used and printed only while the sandbox stands in for Cal.com. */
export const SANDBOX_DEFAULTS = {
  CAL_CLIENT_ID: 'sandbox-client',
  CAL_CLIENT_SECRET: 'sandbox-secret',
  CAL_WEBHOOK_SECRET: 'sandbox-webhook-secret',
  ADMIN_API_KEY: 'sandbox-admin-key',
  TOKEN_API_KEY: 'sandbox-token-key',
  MEMBER_ASSERTION_SECRET: 'sandbox-member-secret',
  CAL_OAUTH_CLIENT_ID: 'sandbox-oauth-client',
  CAL_OAUTH_CLIENT_SECRET: 'sandbox-oauth-secret',
} as const

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
const HOSTED_CAL_API_URL = 'https://api.cal.com/v2'
const HOSTED_CAL_ORIGIN = 'https://app.cal.com'
const HOSTED_EMBED_JS_URL = 'https://app.cal.com/embed/embed.js'

const optionalText = z.string().trim().min(1).optional()
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''))

const EnvSchema = z.object({
  PORT: z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'expected postgres://user@host:port/database' }).optional(),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  CAL_API_URL: httpUrl.optional(),
  CAL_CLIENT_ID: optionalText,
  CAL_CLIENT_SECRET: optionalText,
  CAL_WEBHOOK_SECRET: optionalText,
  CAL_OAUTH_CLIENT_ID: optionalText,
  CAL_OAUTH_CLIENT_SECRET: optionalText,
  RECONCILE_INTERVAL: z.string().trim().regex(/^\d+(ms|s|m|h)?$/, 'expected a duration such as 300s, 5m or 1h (a bare number is seconds)').optional(),
  CAL_ORIGIN: httpUrl.optional(),
  CAL_EMBED_JS_URL: httpUrl.optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  ADMIN_API_KEY: z.string().trim().min(16, 'expected at least 16 characters').optional(),
  TOKEN_API_KEY: z.string().trim().min(16, 'expected at least 16 characters').optional(),
  MEMBER_ASSERTION_SECRET: z.string().trim().min(16, 'expected at least 16 characters').optional(),
  MEMBER_ASSERTION_AUDIENCE: optionalText,
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .trim()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'expected 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  ENCRYPTION_KEYS: z.string().trim().optional(),
  RETENTION_DAYS: z.coerce.number({ error: 'expected a number of days' }).int().min(1).default(730),
  RAW_DELIVERY_DAYS: z.coerce.number({ error: 'expected a number of days' }).int().min(0).default(7),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|\d+|[\d.:a-fA-F/]+(,[\d.:a-fA-F/]+)*)$/, 'expected true, false, a hop count, or a comma list of proxy addresses/CIDRs')
    .optional(),
  PUBLIC_URL: httpUrl.optional(),
  SANDBOX_ALLOW_PUBLIC_HOST: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
})

export interface Config {
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  /**
   * True in the demo composition while no CAL_API_URL is set: the offline Cal.com stands in at
   * /sandbox/cal. Never true for the product (see LoadConfigOptions).
   */
  sandbox: boolean
  /** Where browsers and Cal.com reach this server (no trailing slash); HSTS is sent when it is https. */
  publicUrl: string
  cal: {
    apiUrl: string
    /**
     * The Platform OAuth client (managed users). Optional: Cal.com closed Platform to new
     * customers, so without it the token routes answer 404 managed_users_not_configured.
     */
    clientId: string | undefined
    clientSecret: string | undefined
    /** For hand-made subscriptions at POST /webhooks/cal; connected hosts have secrets of their own. */
    webhookSecret: string | undefined
    origin: string
    embedJsUrl: string
    /** "Continue with Cal.com": a Cal.com OAuth client hosts connect through, when set. */
    oauth: { clientId: string; clientSecret: string; authorizeUrl: string; tokenUrl: string } | undefined
  }
  /** How often connected hosts' bookings are reconciled with Cal.com (jitter is added). */
  reconcileIntervalMs: number
  /** `'*'` only in sandbox mode without ALLOWED_ORIGINS. */
  allowedOrigins: string[] | '*'
  /** Reads bookings and the audit log, manages hosts: `/admin/*` only. */
  adminApiKey: string
  /**
   * Lets a church's backend mint Cal.com tokens for an email (`POST /tokens/cal/managed-user`) and
   * nothing else. Undefined: backend minting is off (member assertions still work).
   */
  tokenApiKey: string | undefined
  memberAssertionSecret: string | undefined
  /** When set, member assertions must carry it in `aud`. */
  memberAssertionAudience: string | undefined
  /** Undefined in sandbox mode without TOKEN_ENCRYPTION_KEY: a key is then kept under DATA_DIR. */
  tokenEncryptionKey: Buffer | undefined
  /** ENCRYPTION_KEYS in order (the first seals new data); undefined when unset. See docs/privacy.md. */
  encryptionKeys: RingKey[] | undefined
  /** Days after a booking's end before its personal fields are erased. */
  retentionDays: number
  /** Days a delivery's raw body is kept (sealed) for diagnosis before only its digest stays. */
  rawDeliveryDays: number
  logLevel: (typeof LOG_LEVELS)[number]
  /**
   * Which X-Forwarded-For hops to believe for the client address (rate limits, audit). Off by
   * default: trusting a header any client can set would let it pick its own rate-limit bucket.
   */
  trustProxy: boolean | number | string[]
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
    this.name = 'ConfigError'
  }
}

const ORIGIN = /^https?:\/\/[^/\s]+$/

export interface LoadConfigOptions {
  /**
   * Whether an unset CAL_API_URL means the offline sandbox with its public development values.
   * Only the demo composition says yes; for the product an unset CAL_API_URL is Cal.com's hosted
   * API, so no environment can put a production server into sandbox mode.
   */
  allowSandbox?: boolean
}

/** Reads the environment once at start; each bad or missing variable gives one line naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = EnvSchema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  }
  const e = parsed.data
  const demo = options.allowSandbox === true
  const sandbox = demo && e.CAL_API_URL === undefined
  const problems: string[] = []

  if (!sandbox) {
    for (const name of ['ADMIN_API_KEY'] as const) {
      if (!e[name]) problems.push(`${name}: required when the server talks to a real Cal.com`)
    }
    // Optional pairs: half of one is a mistake worth stopping for.
    for (const [a, b] of [['CAL_CLIENT_ID', 'CAL_CLIENT_SECRET'], ['CAL_OAUTH_CLIENT_ID', 'CAL_OAUTH_CLIENT_SECRET']] as const) {
      if (!e[a] !== !e[b]) problems.push(`${e[a] ? b : a}: set it together with ${e[a] ? a : b}, or leave both unset`)
    }
    if (!e.TOKEN_ENCRYPTION_KEY && !e.ENCRYPTION_KEYS) problems.push('TOKEN_ENCRYPTION_KEY: required when the server talks to a real Cal.com (or ENCRYPTION_KEYS, see docs/privacy.md)')
    if (!demo && !e.PUBLIC_URL) problems.push('PUBLIC_URL: required: the https address browsers and Cal.com reach this server at, e.g. https://booking.gracechurch.org')
    if (e.MEMBER_ASSERTION_SECRET && Buffer.byteLength(e.MEMBER_ASSERTION_SECRET) < MIN_SECRET_BYTES) {
      problems.push(`MEMBER_ASSERTION_SECRET: expected at least ${MIN_SECRET_BYTES} bytes outside sandbox mode (openssl rand -base64 32)`)
    }
    if (e.TOKEN_API_KEY && e.TOKEN_API_KEY === e.ADMIN_API_KEY) problems.push('TOKEN_API_KEY: must differ from ADMIN_API_KEY, or the token key would manage hosts and read bookings too')
    for (const [name, value] of Object.entries(SANDBOX_DEFAULTS)) {
      if (e[name as keyof typeof e] === value) problems.push(`${name}: the sandbox's development value is refused outside sandbox mode; set a secret of your own`)
    }
  }
  const origins = (e.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean)
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) problems.push(`ALLOWED_ORIGINS: "${origin}" is not an origin; expected a comma list like https://gracechurch.org,https://www.gracechurch.org`)
  }
  if (sandbox && !isLoopback(e.HOST) && e.SANDBOX_ALLOW_PUBLIC_HOST !== 'true') {
    problems.push(`HOST: sandbox mode listens on loopback only (127.0.0.1, ::1 or localhost): its development keys are public and its control routes unauthenticated, so "${e.HOST}" would offer them to the network. ` +
      'Set CAL_API_URL for a real Cal.com, or SANDBOX_ALLOW_PUBLIC_HOST=true to expose the sandbox on purpose (a throwaway demo machine, never real data).')
  }
  let encryptionKeys: RingKey[] | undefined
  if (e.ENCRYPTION_KEYS) {
    try {
      encryptionKeys = parseEncryptionKeys(e.ENCRYPTION_KEYS)
    } catch (err) {
      problems.push(`ENCRYPTION_KEYS: ${(err as Error).message}`)
    }
  }
  if (problems.length) throw new ConfigError(problems)

  // The sandbox answers on 127.0.0.1 while demo pages are opened on localhost: two origins, so
  // the booking iframe is cross-origin exactly as Cal.com's is.
  const sandboxOrigin = `http://127.0.0.1:${e.PORT}/sandbox/cal`
  const calOrigin = e.CAL_ORIGIN ?? (sandbox ? sandboxOrigin : HOSTED_CAL_ORIGIN)
  const apiUrl = e.CAL_API_URL ?? (sandbox ? `${sandboxOrigin}/v2` : HOSTED_CAL_API_URL)
  const oauthClientId = e.CAL_OAUTH_CLIENT_ID ?? (sandbox ? SANDBOX_DEFAULTS.CAL_OAUTH_CLIENT_ID : undefined)
  const oauthClientSecret = e.CAL_OAUTH_CLIENT_SECRET ?? (sandbox ? SANDBOX_DEFAULTS.CAL_OAUTH_CLIENT_SECRET : undefined)
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    sandbox,
    publicUrl: e.PUBLIC_URL ?? `http://${urlHost(e.HOST)}:${e.PORT}`,
    cal: {
      apiUrl,
      clientId: e.CAL_CLIENT_ID ?? (sandbox ? SANDBOX_DEFAULTS.CAL_CLIENT_ID : undefined),
      clientSecret: e.CAL_CLIENT_SECRET ?? (sandbox ? SANDBOX_DEFAULTS.CAL_CLIENT_SECRET : undefined),
      webhookSecret: e.CAL_WEBHOOK_SECRET ?? (sandbox ? SANDBOX_DEFAULTS.CAL_WEBHOOK_SECRET : undefined),
      origin: calOrigin,
      embedJsUrl: e.CAL_EMBED_JS_URL ?? (sandbox ? `${calOrigin}/embed/embed.js` : HOSTED_EMBED_JS_URL),
      oauth: oauthClientId && oauthClientSecret
        ? { clientId: oauthClientId, clientSecret: oauthClientSecret, authorizeUrl: `${calOrigin}/auth/oauth2/authorize`, tokenUrl: `${apiUrl}/auth/oauth2/token` }
        : undefined,
    },
    reconcileIntervalMs: parseDuration(e.RECONCILE_INTERVAL ?? '5m'),
    allowedOrigins: origins.length ? origins : sandbox ? '*' : [],
    adminApiKey: e.ADMIN_API_KEY ?? SANDBOX_DEFAULTS.ADMIN_API_KEY,
    tokenApiKey: e.TOKEN_API_KEY ?? (sandbox ? SANDBOX_DEFAULTS.TOKEN_API_KEY : undefined),
    memberAssertionSecret: e.MEMBER_ASSERTION_SECRET ?? (sandbox ? SANDBOX_DEFAULTS.MEMBER_ASSERTION_SECRET : undefined),
    memberAssertionAudience: e.MEMBER_ASSERTION_AUDIENCE,
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY ? Buffer.from(e.TOKEN_ENCRYPTION_KEY, 'base64') : undefined,
    encryptionKeys,
    retentionDays: e.RETENTION_DAYS,
    rawDeliveryDays: e.RAW_DELIVERY_DAYS,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
  }
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can connect to. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h)
}

// The demo's default public address is where npm start says it runs: the wildcard and loopback
// addresses are opened as localhost.
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || isLoopback(host)) return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}

/** `300`, `300s`, `5m`, `1h`, `250ms` → milliseconds; a bare number is seconds. */
export function parseDuration(value: string): number {
  const [, n = '0', unit = 's'] = /^(\d+)(ms|s|m|h)?$/.exec(value) ?? []
  return Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h']
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) return Number(value)
  return value.split(',')
}
