import { recordAudit, type Executor } from '../server/audit.js'
import { type HostInput, insertHostIfAbsent } from '../server/hosts/hosts-repository.js'
import { seededHosts } from './sandbox/seed.js'

/** The hosts the sandbox serves booking pages for, as an admin would register them with us. */
export const SANDBOX_HOSTS: HostInput[] = seededHosts().map((host) => ({
  username: host.username,
  name: host.name,
  calLink: host.username,
  eventTypes: host.eventTypes.map(({ slug, title, length }) => ({ slug, title, length })),
}))

/**
 * Registers the sandbox's hosts so the widget finds them from the first start. Leaves a host an
 * admin changed alone, and does nothing twice when two replicas start together.
 */
export async function seedSandboxHosts(db: Executor, now: Date): Promise<void> {
  for (const host of SANDBOX_HOSTS) {
    if (await insertHostIfAbsent(db, host, now)) {
      await recordAudit(db, { actor: 'system', action: 'host.registered', subject: `host:${host.username}`, detail: { source: 'sandbox seed' } })
    }
  }
}
