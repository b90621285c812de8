import fp from 'fastify-plugin'
import { type CalClient, createCalClient } from '../cal/client.js'
import { createTokenCipher, resolveTokenKey, type TokenCipher } from './crypto.js'
import { TokenStore } from './token-store.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The Cal.com Platform client every Cal.com call goes through. */
    calClient: CalClient
    tokenStore: TokenStore
    /** The one cipher for everything stored sealed (tokens, questionnaire answers). */
    tokenCipher: TokenCipher
  }
}

/** Cal.com client and token store as services; a test or benchmark may hand in its own client. */
export const tokenServices = fp<{ calClient?: CalClient | undefined }>(async (app, options) => {
  const { config } = app
  const calClient = options.calClient ?? createCalClient({ apiUrl: config.cal.apiUrl, clientId: config.cal.clientId, clientSecret: config.cal.clientSecret })
  const cipher = createTokenCipher(resolveTokenKey(config))
  app.decorate('calClient', calClient)
  app.decorate('tokenCipher', cipher)
  app.decorate('tokenStore', new TokenStore({ db: app.db, kind: app.dbKind, cal: calClient, cipher, clock: app.clock }))
}, { name: 'token-services' })
