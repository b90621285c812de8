import fp from 'fastify-plugin'
import { type CalClient, createCalClient } from '../cal/client.js'
import type { KeyRing } from '../privacy/key-ring.js'
import { resolveKeyRing } from './crypto.js'
import { TokenStore } from './token-store.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The Cal.com Platform client every Cal.com call goes through. */
    calClient: CalClient
    tokenStore: TokenStore
    /** The one key ring (a TokenCipher): everything sealed at rest (tokens, API keys, webhook secrets, booking data, answers) is sealed by it. */
    keyRing: KeyRing
  }
}

/** Cal.com client and token store as services; a test or benchmark may hand in its own client. */
export const tokenServices = fp<{ calClient?: CalClient | undefined }>(async (app, options) => {
  const { config } = app
  const calClient = options.calClient ?? createCalClient({ apiUrl: config.cal.apiUrl, clientId: config.cal.clientId, clientSecret: config.cal.clientSecret })
  const cipher = resolveKeyRing(config)
  app.decorate('keyRing', cipher)
  app.decorate('calClient', calClient)
  app.decorate('tokenStore', new TokenStore({ db: app.db, kind: app.dbKind, cal: calClient, cipher, clock: app.clock }))
}, { name: 'token-services' })
