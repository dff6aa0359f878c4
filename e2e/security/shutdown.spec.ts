import { spawn } from 'node:child_process'
import { mkdirSync, openSync } from 'node:fs'
import { E2E_DATABASE_URL, serverEnv } from '../../playwright.config'
import { freePort } from '../../scripts/lib/free-port'
import { startTcpProxy } from '../../test/support/tcp-proxy'
import { createAccount, expect, test } from '../fixtures'
import { REPORTS_DIR, secret, serverLogFile } from '../secrets'

// A server of its own (npm start = server.mjs), its database behind a relay the test can hold, so
// that a request is surely in flight when SIGTERM arrives.
test('SIGTERM: in-flight requests are answered, new connections refused, then a clean exit', async () => {
  test.setTimeout(60_000)
  const [port, relayPort] = [await freePort(), await freePort()]
  const relay = await startTcpProxy(relayPort, 3306)
  mkdirSync(REPORTS_DIR, { recursive: true })
  const server = spawn('node', ['server.mjs'], {
    env: {
      ...process.env,
      ...serverEnv,
      PORT: String(port),
      DATABASE_URL: E2E_DATABASE_URL.replace(/:3306\//, `:${relayPort}/`),
      RUN_WORKER: 'false',
    },
    // Its log joins the others for the secrets check (e2e/global-teardown.ts).
    stdio: ['ignore', openSync(serverLogFile(port), 'w'), 'ignore'],
  })
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)))
  const base = `http://127.0.0.1:${port}`
  try {
    await expect(async () => expect((await fetch(`${base}/api/health`)).status).toBe(200)).toPass({ timeout: 30_000 })
    const account = await createAccount('shutdown')
    const logIn = await fetch(`${base}/api/users/log-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: account.username, password: account.password }),
    })
    expect(logIn.status).toBe(200)
    const token = secret(((await logIn.json()) as { access_token: string }).access_token)

    relay.pause()
    const inFlight = fetch(`${base}/api/todos`, { headers: { authorization: `Bearer ${token}` } })
    await new Promise((resolve) => setTimeout(resolve, 300))
    server.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(server.exitCode).toBeNull() // still answering what it has
    await expect(fetch(`${base}/api/health`)).rejects.toThrow() // but takes nothing new

    relay.resume()
    const answered = await inFlight
    expect(answered.status).toBe(200)
    expect(await answered.json()).toEqual({ todos: [] })
    expect(await exited).toBe(0)
  } finally {
    server.kill('SIGKILL')
    await relay.stop()
  }
})
