import { isIPv4, isIPv6 } from 'node:net'

/**
 * A client address as the audit log keeps it: IPv4 cut to its /24 (`203.0.113.0/24`), IPv6 to
 * its /48 (`2001:db8:42::/48`), enough to see a pattern of abuse, not to name a household.
 * Anything else (a test's `127.0.0.1`-less injection, a unix socket) becomes `unknown`.
 */
export function truncateAddress(address: string | undefined): string {
  if (!address) return 'unknown'
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  const ip = mapped ? mapped[1]! : address
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`
  if (isIPv6(ip)) {
    const groups = expandIPv6(ip).slice(0, 3).map((g) => g.replace(/^0+(?=.)/, ''))
    return `${groups.join(':')}::/48`
  }
  return 'unknown'
}

/** The eight groups of an IPv6 address, `::` expanded (no embedded IPv4 expected past the /48). */
function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const fill = tail === undefined ? [] : Array(Math.max(0, 8 - left.length - right.length)).fill('0')
  return [...left, ...fill, ...right]
}

/** The audit actor for an unidentified caller. */
export const ipActor = (address: string | undefined) => `ip:${truncateAddress(address)}`

/** The audit actor for a member: their `sub`, or its keyed hash when the sub is an email. */
export const memberActor = (ring: { blindIndex(email: string): string }, sub: string) =>
  `member:${sub.includes('@') ? `hash:${ring.blindIndex(sub)}` : sub}`
