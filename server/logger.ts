import type { LoggerOptions } from 'pino'

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

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
  }
}
