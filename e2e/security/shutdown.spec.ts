import { E2E_DATABASE_URL } from '../../playwright.config'
import { freePort } from '../../scripts/lib/free-port'
import { readEvents } from '../../test/support/sse'
import { startTcpProxy } from '../../test/support/tcp-proxy'
import { startAppServer } from '../app-server'
import { createAccount, expect, test } from '../fixtures'
import { secret } from '../secrets'

// A server of its own (npm start = server.mjs), its database behind a relay the test can hold, so
// that a request is surely in flight when SIGTERM arrives.
test('SIGTERM: in-flight requests are answered, live streams end, new connections refused, then a clean exit', async () => {
  test.setTimeout(60_000)
  const relayPort = await freePort()
  const relay = await startTcpProxy(relayPort, 3306)
  const server = await startAppServer({ DATABASE_URL: E2E_DATABASE_URL.replace(/:3306\//, `:${relayPort}/`) })
  const { base, exited } = server
  try {
    const account = await createAccount('shutdown')
    const logIn = await fetch(`${base}/api/users/log-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: account.username, password: account.password }),
    })
    expect(logIn.status).toBe(200)
    const token = secret(((await logIn.json()) as { access_token: string }).access_token)

    // Two live streams: SIGTERM ends them at once (browsers reconnect elsewhere), not after 10 s.
    const streams = await Promise.all([1, 2].map(() => fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` } }).then(readEvents)))
    await expect.poll(() => streams.every((stream) => stream.versions().length === 1)).toBe(true)

    relay.pause()
    const inFlight = fetch(`${base}/api/todos`, { headers: { authorization: `Bearer ${token}` } })
    await new Promise((resolve) => setTimeout(resolve, 300))
    server.process.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(server.process.exitCode).toBeNull() // still answering what it has
    await expect.poll(() => streams.every((stream) => stream.ended()), { timeout: 2_000 }).toBe(true)
    await expect(fetch(`${base}/api/health`)).rejects.toThrow() // but takes nothing new

    relay.resume()
    const answered = await inFlight
    expect(answered.status).toBe(200)
    expect(await answered.json()).toEqual({ todos: [] })
    expect(await exited).toBe(0)
  } finally {
    server.stop()
    await relay.stop()
  }
})
