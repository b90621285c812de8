import { randomUUID } from 'node:crypto'

/** UserWebhookOutputDto (docs/connecting-cal-com.md, "The Cal.com facts this relies on"), keys in its order; `id` a string as at runtime. */
export interface UserWebhook {
  id: string
  payloadTemplate: string | null
  triggers: string[]
  subscriberUrl: string
  active: boolean
  secret?: string
  userId: number
}

export type UserWebhookInput = { subscriberUrl: string; triggers: string[]; active: boolean; secret?: string | undefined; payloadTemplate?: string | undefined }

/** Webhooks a user made through /v2/webhooks with their own credentials: only their bookings go there. */
export class UserWebhooks {
  #webhooks = new Map<string, UserWebhook>()

  constructor(private readonly changed: () => void) {}

  ofUser(userId: number, range: { take?: number; skip?: number } = {}): UserWebhook[] {
    const skip = range.skip ?? 0
    return [...this.#webhooks.values()].filter((w) => w.userId === userId).slice(skip, skip + (range.take ?? 250))
  }

  get(id: string) { return this.#webhooks.get(id) }

  /** Active webhooks of `userId` subscribed to `trigger`. */
  for(userId: number, trigger: string): UserWebhook[] {
    return [...this.#webhooks.values()].filter((w) => w.userId === userId && w.active && w.triggers.includes(trigger))
  }

  /** undefined when this user already has a webhook at that URL (Cal.com answers 409). */
  create(userId: number, input: UserWebhookInput): UserWebhook | undefined {
    if ([...this.#webhooks.values()].some((w) => w.userId === userId && w.subscriberUrl === input.subscriberUrl)) return undefined
    const webhook: UserWebhook = {
      id: randomUUID(), payloadTemplate: input.payloadTemplate ?? null, triggers: input.triggers,
      subscriberUrl: input.subscriberUrl, active: input.active, ...(input.secret !== undefined ? { secret: input.secret } : {}), userId,
    }
    this.#webhooks.set(webhook.id, webhook)
    this.changed()
    return webhook
  }

  update(id: string, patch: Partial<UserWebhookInput>): UserWebhook | undefined {
    const webhook = this.#webhooks.get(id)
    if (!webhook) return undefined
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) (webhook as unknown as Record<string, unknown>)[key] = value
    this.changed()
    return webhook
  }

  delete(id: string): UserWebhook | undefined {
    const webhook = this.#webhooks.get(id)
    if (webhook) { this.#webhooks.delete(id); this.changed() }
    return webhook
  }

  snapshot(): UserWebhook[] { return [...this.#webhooks.values()] }

  restore(webhooks: UserWebhook[] | undefined) { this.#webhooks = new Map((webhooks ?? []).map((w) => [w.id, w])) }
}
