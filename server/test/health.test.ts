import net from 'node:net'
import t from 'tap'
import { openDatabase } from '../../db/open-database.js'
import { build, testConfig } from './helpers.js'
import { buildApp } from '../app.js'

t.test('health is ok while the database answers', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', db: 'ok' })
  t.ok(res.headers['x-request-id'], 'every answer carries its request id')
})

t.test('health is 503 when the database is closed, without crashing', async (t) => {
  const { app, db } = await build(t)
  await db.destroy()
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { status: 'degraded', db: 'unavailable' })
  t.equal(res.headers['retry-after'], '5')
})

t.test('health is 503 while Postgres is unreachable and recovers without a restart', { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL' }, async (t) => {
  // The app reaches Postgres through a proxy the test can cut and restore, as an outage would.
  const target = new URL(process.env.DATABASE_URL!)
  const proxy = await tcpProxy(target.hostname, Number(target.port || 5432))
  const viaProxy = new URL(target)
  viaProxy.port = String(proxy.port)
  const opened = openDatabase({ databaseUrl: viaProxy.toString(), poolSize: 2 })
  const app = await buildApp({ config: testConfig(), db: opened.db })
  t.teardown(async () => { await app.close(); await opened.db.destroy(); await proxy.stop() })

  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'up')
  await proxy.stop()
  const down = await app.inject({ method: 'GET', url: '/health' })
  t.equal(down.statusCode, 503, 'down while the database is unreachable')
  t.equal(down.json().db, 'unavailable')
  await proxy.start()
  let recovered = 0
  for (let i = 0; i < 5 && recovered !== 200; i++) recovered = (await app.inject({ method: 'GET', url: '/health' })).statusCode
  t.equal(recovered, 200, 'up again once the database answers, with no restart')
})

async function tcpProxy(host: string, port: number) {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  let listenPort = 0
  const start = () => new Promise<void>((resolve) => {
    server = net.createServer((client) => {
      const upstream = net.connect(port, host)
      for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => {}) }
      client.pipe(upstream).pipe(client)
    })
    server.listen(listenPort, '127.0.0.1', () => { listenPort = (server!.address() as net.AddressInfo).port; resolve() })
  })
  const stop = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy()
    // close() only stops listening here; waiting for its callback would wait on the pool's sockets.
    server?.close()
    setTimeout(resolve, 50)
  })
  await start()
  return { get port() { return listenPort }, start, stop }
}
