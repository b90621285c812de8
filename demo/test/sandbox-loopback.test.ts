// Sandbox mode serves public development keys and unauthenticated control routes, so `npm start`
// listens on loopback unless told on purpose to do otherwise.
import t from 'tap'
import { startServer } from '../start-server.js'

const SANDBOX_MODE = { CAL_API_URL: undefined, DATABASE_URL: undefined, DATA_DIR: 'memory://', SANDBOX_ALLOW_PUBLIC_HOST: undefined }

t.test('sandbox mode on 0.0.0.0 refuses to start, saying how to opt in', async (t) => {
  const error = await startServer({ ...SANDBOX_MODE, HOST: '0.0.0.0' }).then(async (server) => { await server.close() }, (e: Error) => e)
  if (!error) return t.fail('it started')
  const lines = error.message.split('\n').filter((line) => line.startsWith('Configuration error:'))
  t.same(lines, [
    'Configuration error: HOST: sandbox mode listens on loopback only (127.0.0.1, ::1 or localhost): its development keys are public and its control routes unauthenticated, so "0.0.0.0" would offer them to the network. ' +
    'Set CAL_API_URL for a real Cal.com, or SANDBOX_ALLOW_PUBLIC_HOST=true to expose the sandbox on purpose (a throwaway demo machine, never real data).',
  ])
  t.notMatch(error.message, 'is running at', 'it never listened')
})

t.test('with SANDBOX_ALLOW_PUBLIC_HOST=true it starts on 0.0.0.0, sandbox and all', async (t) => {
  const server = await startServer({ ...SANDBOX_MODE, HOST: '0.0.0.0', SANDBOX_ALLOW_PUBLIC_HOST: 'true' })
  t.teardown(() => server.close())
  t.equal((await fetch(`http://127.0.0.1:${server.port}/health`)).status, 200)
  t.equal((await fetch(`http://127.0.0.1:${server.port}/sandbox/cal/zack`)).status, 200)
})
