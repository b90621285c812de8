import { signMemberAssertion } from '../server/tokens/member-assertion.js'

/** The member the demo church site pretends is signed in. */
export const DEMO_MEMBER = { sub: 'member-1042', name: 'Ruth Alvarez', email: 'ruth.alvarez@example.org' } as const

/**
 * What a church site's backend does on every members-area page view: sign a fresh, short-lived
 * assertion of who is signed in, for the page to hand to `<churchhub-booking member-token>`.
 */
export function demoMemberToken(secret: string, now: Date): string {
  return signMemberAssertion({ ...DEMO_MEMBER }, secret, { now, ttlSeconds: 600 })
}
