import fp from 'fastify-plugin'
import { CalAccountClient } from '../cal/account-client.js'
import { HostConnections } from './host-connections.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Calls on hosts' own Cal.com accounts (same transport as calClient). */
    calAccount: CalAccountClient
    hostConnections: HostConnections
    /** The per-host webhook secret, for POST /webhooks/cal/hosts/:hostId. */
    hostWebhookSecret(hostId: number): Promise<string | undefined>
  }
}

/** Host connections as a service; needs token-services (the Cal.com transport and the cipher). */
export const connectionServices = fp(async (app) => {
  const calAccount = new CalAccountClient(app.calClient.transport)
  const connections = new HostConnections({ db: app.db, kind: app.dbKind, cal: calAccount, cipher: app.keyRing, clock: app.clock, config: app.config })
  app.decorate('calAccount', calAccount)
  app.decorate('hostConnections', connections)
  app.decorate('hostWebhookSecret', (hostId: number) => connections.webhookSecret(hostId))
}, { name: 'connection-services', dependencies: ['token-services'] })
