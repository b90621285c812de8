import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions, LoggerOptions } from 'pino'

const SENSITIVE_KEYS = [
  'authorization', 'cookie', 'set-cookie', 'x-churchhub-member', 'x-cal-secret-key', 'x-cal-signature-256',
  'email', 'attendeeEmail', 'accessToken', 'refreshToken', 'token', 'secret', 'clientSecret', 'password',
  'assertion', 'memberToken', 'notes', 'responses', 'attendees',
]

/**
 * pino's redaction matches fixed depths, so every sensitive key is listed at the depths our log
 * objects reach: top level, one object down (`{ user: { email } }`) and in request headers.
 */
export const redactPaths = SENSITIVE_KEYS.flatMap((key) => {
  const k = /^[a-z]+$/i.test(key) ? key : `["${key}"]`
  const dot = (prefix: string) => (k.startsWith('[') ? `${prefix}${k}` : `${prefix}.${k}`)
  return [k, dot('*'), dot('*.*'), dot('req.headers'), dot('headers')]
})

/** Query parameters that carry a person's address (`/admin/bookings?attendee=`, `/admin/people/export?email=`). */
const PERSONAL_QUERY = /([?&](?:email|attendee)=)[^&#]*/gi
export const redactUrl = (url: string) => url.replace(PERSONAL_QUERY, '$1[redacted]')

interface LoggedRequest { method?: string; url?: string; host?: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }

const requestBindings = Symbol('request bindings')
type RequestLogger = FastifyBaseLogger & { [requestBindings]?: Bindings }

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    // Fastify's request fields, with a person's address cut out of the query string.
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method, url: req.url === undefined ? undefined : redactUrl(req.url),
        host: req.host ?? req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort,
      }),
    },
    // The request id of requestLogger's children, written on each of their lines.
    mixin: (_object, _level, logger) => (logger as RequestLogger)[requestBindings] ?? {},
  }
}

/**
 * Fastify's `childLoggerFactory`: a request's logger keeps its bindings (the request id) for the
 * mixin above to write, instead of binding them. pino runs every binding through the redaction
 * paths that start with a wildcard, and it did so for every request, logged or not; the mixin
 * runs only when a line is written.
 */
export function requestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  const child: RequestLogger = logger.child({}, options)
  child[requestBindings] = bindings
  return child
}
