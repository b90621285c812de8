import { randomUUID } from 'node:crypto'
import type { OAuthClientWebhook } from './types.js'

export type WebhookInput = Pick<OAuthClientWebhook, 'subscriberUrl' | 'triggers' | 'active'> & { secret?: string; payloadTemplate?: string }

/** Webhooks registered on the OAuth client through /v2/oauth-clients/{clientId}/webhooks (contract §4.7). */
export class WebhookSubscriptions {
  #webhooks = new Map<string, OAuthClientWebhook>()

  constructor(readonly clientId: string, private readonly changed: () => void) {}

  list(range: { take?: number; skip?: number } = {}): OAuthClientWebhook[] {
    const skip = range.skip ?? 0
    return [...this.#webhooks.values()].slice(skip, skip + (range.take ?? 250))
  }

  get(id: string): OAuthClientWebhook | undefined {
    return this.#webhooks.get(id)
  }

  /** Active webhooks subscribed to `trigger`. */
  for(trigger: string): OAuthClientWebhook[] {
    return [...this.#webhooks.values()].filter((w) => w.active && w.triggers.includes(trigger))
  }

  create(input: WebhookInput): OAuthClientWebhook {
    const webhook: OAuthClientWebhook = {
      id: randomUUID(),
      oAuthClientId: this.clientId,
      subscriberUrl: input.subscriberUrl,
      triggers: input.triggers,
      active: input.active,
      payloadTemplate: input.payloadTemplate ?? null,
      ...(input.secret !== undefined ? { secret: input.secret } : {}),
    }
    this.#webhooks.set(webhook.id, webhook)
    this.changed()
    return webhook
  }

  update(id: string, patch: Partial<WebhookInput>): OAuthClientWebhook | undefined {
    const webhook = this.#webhooks.get(id)
    if (!webhook) return undefined
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) (webhook as any)[key] = value
    this.changed()
    return webhook
  }

  delete(id: string): OAuthClientWebhook | undefined {
    const webhook = this.#webhooks.get(id)
    if (webhook) { this.#webhooks.delete(id); this.changed() }
    return webhook
  }

  deleteAll(): number {
    const n = this.#webhooks.size
    this.#webhooks.clear()
    this.changed()
    return n
  }

  snapshot(): OAuthClientWebhook[] { return [...this.#webhooks.values()] }

  restore(webhooks: OAuthClientWebhook[]) { this.#webhooks = new Map(webhooks.map((w) => [w.id, w])) }
}
