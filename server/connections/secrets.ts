import { randomBytes } from 'node:crypto'

/** A webhook secret of our own per host: 32 random bytes, hex. Cal.com signs that host's deliveries with it. */
export const newWebhookSecret = () => randomBytes(32).toString('hex')

/** Cal.com API keys start with its prefix, `cal_` (test) or `cal_live_` (live). */
export const API_KEY_PATTERN = /^cal_[A-Za-z0-9_]{4,200}$/
