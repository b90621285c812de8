import { recordAudit, type Executor } from '../audit.js'
import { type HostInput, insertHostIfAbsent } from './hosts-repository.js'

const EVENT_TYPES = [
  { slug: '15min', title: '15 minute meeting', length: 15 },
  { slug: '30min', title: '30 minute meeting', length: 30 },
  { slug: '60min', title: '60 minute meeting', length: 60 },
]

/** The hosts the sandbox serves booking pages for (ARCHITECTURE.md, "The Cal.com sandbox"). */
export const SANDBOX_HOSTS: HostInput[] = [
  { username: 'zack', name: 'Pastor Zack Miller', calLink: 'zack', eventTypes: EVENT_TYPES },
  { username: 'maria', name: 'Maria Lopez', calLink: 'maria', eventTypes: EVENT_TYPES },
]

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
