import { randomBytes } from 'node:crypto'
import type { APIRequestContext } from '@playwright/test'
import { OUTAGE_APP_PORT, OUTAGE_REDIS_RELAY_PORT, OUTAGE_RELAY_PORT } from '../playwright.config'
import { createAccount, expect, logIn, mailTo, seedTodos, test, todoItems, uniqueEmail } from './fixtures'
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy'
import { metric } from './metrics'
import { logLines } from './server-logs'
import { secret } from './secrets'

// These tests talk to the second app instance, whose database connection runs through a relay
// they can cut. They share that relay, so they run one after another.
test.describe.configure({ mode: 'serial' })
test.use({ baseURL: `http://localhost:${OUTAGE_APP_PORT}` })

let relay: TcpProxy | undefined
let redisRelay: TcpProxy | undefined
const connect = async () => {
  relay = await startTcpProxy(OUTAGE_RELAY_PORT, 3306)
}
const cut = async () => {
  await relay?.stop()
  relay = undefined
}
const connectRedis = async () => {
  redisRelay = await startTcpProxy(OUTAGE_REDIS_RELAY_PORT, 6379)
}
const cutRedis = async () => {
  await redisRelay?.stop()
  redisRelay = undefined
}
test.afterEach(async () => {
  await cut()
  await cutRedis()
})

test('the list says the database is unavailable, then recovers by itself', async ({ page }) => {
  const account = await createAccount('outage')
  await seedTodos(account, [{ contents: 'survives the outage' }])
  await connect()
  await logIn(page, account)
  await expect(todoItems(page)).toHaveText(['survives the outage'])

  await cut()
  const started = Date.now()
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Temporarily unavailable' })).toBeVisible()
  await expect(page.getByText('We cannot reach the database right now')).toBeVisible()
  expect(Date.now() - started).toBeLessThan(10_000) // no hanging request
  await expect(page.locator('body')).not.toContainText(/at .*\.js|ECONNREFUSED|Error:/)

  await connect()
  await page.getByRole('button', { name: 'Try again' }).click()
  await expect(todoItems(page)).toHaveText(['survives the outage'])
})

test('/api/ready says which dependency is away; /api/health does not care', async ({ request }) => {
  const ready = () => request.get('/api/ready')
  const away = await ready()
  expect(away.status()).toBe(503)
  expect(away.headers()['cache-control']).toBe('no-store')
  expect(await away.json()).toEqual({ status: 'unavailable', failed: ['database', 'redis'] })
  expect((await request.get('/api/health')).status()).toBe(200)

  await connect()
  await expect(async () => expect(await (await ready()).json()).toEqual({ status: 'unavailable', failed: ['redis'] })).toPass({ timeout: 10_000 })
  await connectRedis()
  await expect(async () => {
    const back = await ready()
    expect(back.status()).toBe(200)
    expect(await back.json()).toEqual({ status: 'ready' })
  }).toPass({ timeout: 10_000 })

  await cut()
  const started = Date.now()
  const noDatabase = await ready()
  expect(noDatabase.status()).toBe(503)
  expect(await noDatabase.json()).toEqual({ status: 'unavailable', failed: ['database'] })
  expect(Date.now() - started).toBeLessThan(3_000)

  // A database that accepts connections but never answers: still a prompt 503.
  await connect()
  await expect(async () => expect((await ready()).status()).toBe(200)).toPass({ timeout: 10_000 })
  relay!.pause()
  const hung = Date.now()
  expect((await ready()).status()).toBe(503)
  expect(Date.now() - hung).toBeLessThan(3_000)
})

test('log-in says the service is unavailable rather than blaming the password', async ({ page }) => {
  const account = await createAccount('outage')
  await logIn(page, account)
  await expect(page.getByText('The service is temporarily unavailable')).toBeVisible()
  await expect(page.getByText('Invalid username or password')).toHaveCount(0)

  await connect()
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page).toHaveURL(/\/todos$/)
})

test('the JSON API answers 503 while the database is away, and works again after', async ({ request }) => {
  const response = await request.get('/api/todos', { headers: { Authorization: 'Bearer x.y.z' } })
  expect(response.status()).toBe(401) // no database needed to refuse a bad token

  const requestId = `outage-${randomBytes(6).toString('hex')}`
  const signUp = await request.post('/api/users/sign-up', {
    headers: { 'X-Request-Id': requestId },
    data: { username: `outage_${Date.now()}`, password: 'violet kettle drums' },
  })
  expect(signUp.status()).toBe(503)
  expect(await signUp.json()).toEqual({ detail: 'Service temporarily unavailable' })
  // The route handler's own log line carries the id server.mjs gave the request.
  await expect(async () => {
    const lines = logLines(OUTAGE_APP_PORT).filter((line) => line.requestId === requestId)
    expect(lines).toContainEqual(
      expect.objectContaining({ component: 'api', level: 'warn', msg: 'POST /api/users/sign-up: 503, the database is unavailable' }),
    )
    expect(lines).toContainEqual(expect.objectContaining({ component: 'server', msg: 'request', status: 503, path: '/api/users/sign-up' }))
  }).toPass({ timeout: 5_000 })

  await connect()
  const again = await request.post('/api/users/sign-up', { data: { username: `outage_${Date.now()}`, password: 'violet kettle drums' } })
  expect(again.status()).toBe(201)
})

test('Redis away: the list works from MariaDB, codes answer 503, the cache returns with Redis', async ({
  page,
  request,
}) => {
  const account = await createAccount('redis')
  await seedTodos(account, [{ contents: 'served without Redis' }])
  await connect()
  await connectRedis()
  await logIn(page, account)
  await expect(todoItems(page)).toHaveText(['served without Redis'])

  await cutRedis()
  await page.reload()
  await expect(todoItems(page)).toHaveText(['served without Redis'])
  await page.getByLabel('What needs to be done?').fill('written without Redis')
  await page.getByLabel('What needs to be done?').press('Enter')
  await expect(todoItems(page)).toHaveText(['served without Redis', 'written without Redis'])

  const logInResponse = await request.post('/api/users/log-in', {
    data: { username: account.username, password: account.password },
  })
  const token = secret((await logInResponse.json()).access_token as string)
  const otp = await request.post('/api/users/email/otp', {
    headers: { Authorization: `Bearer ${token}` },
    data: { email: 'someone@example.test' },
  })
  expect(otp.status()).toBe(503)
  expect(await otp.json()).toEqual({ detail: 'Email verification is temporarily unavailable' })

  await connectRedis()
  const hitsBefore = await cacheHits(request)
  await expect(async () => {
    await page.reload()
    await expect(todoItems(page)).toHaveText(['served without Redis', 'written without Redis'])
    expect(await cacheHits(request)).toBeGreaterThan(hitsBefore)
  }).toPass({ timeout: 10_000 })
})

const cacheHits = (request: APIRequestContext) => metric(request, 'todos_cache_hits_total')

test('a database that stops answering: "unavailable" within seconds, and back when it answers', async ({ page }) => {
  const account = await createAccount('hang')
  await seedTodos(account, [{ contents: 'patience' }])
  await connect()
  await logIn(page, account)
  await expect(todoItems(page)).toHaveText(['patience'])

  relay!.pause() // connections stay open, but nothing comes back
  const started = Date.now()
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Temporarily unavailable' })).toBeVisible({ timeout: 15_000 })
  expect(Date.now() - started).toBeLessThan(10_000)

  relay!.resume()
  await page.getByRole('button', { name: 'Try again' }).click()
  await expect(todoItems(page)).toHaveText(['patience'])
})

test('two instances on one database and Redis: a write on one is read on the other at once', async ({
  request,
}) => {
  await connect()
  await connectRedis()
  const account = await createAccount('twins')
  const main = `http://localhost:${OUTAGE_APP_PORT - 1}`
  const token = secret((await (await request.post(`${main}/api/users/log-in`, { data: account })).json()).access_token as string)
  const headers = { Authorization: `Bearer ${token}` }
  // Both instances must reach Redis (this one through the relay just started). While one cannot,
  // its writes cannot void the other's cache at once: docs/security.md says what that costs.
  await expect(async () => {
    await request.get('/api/todos', { headers })
    expect(await metric(request, 'todos_cache_redis_up')).toBe(1)
  }).toPass({ timeout: 10_000 })

  for (let i = 0; i < 5; i++) {
    // Read on both (so that both may cache), write on one, read on the other.
    const [writer, reader] = i % 2 === 0 ? [main, ''] : ['', main]
    await request.get(`${reader}/api/todos`, { headers })
    await request.get(`${writer}/api/todos`, { headers })
    const created = await (await request.post(`${writer}/api/todos`, { headers, data: { contents: `twin ${i}` } })).json()
    const seen = (await (await request.get(`${reader}/api/todos`, { headers })).json()).todos
    expect(seen.map((t: { id: number }) => t.id)).toContain(created.id)
  }
})

test('two instances, two workers: each email is sent once', async ({ request }) => {
  await connect()
  await connectRedis()
  const account = await createAccount('once')
  const token = secret((await (await request.post('/api/users/log-in', { data: account })).json()).access_token as string)
  const email = uniqueEmail('once')
  // This instance reaches Redis through the relay just started: ask until it is through.
  await expect(async () => {
    const sent = await request.post('/api/users/email/otp', {
      headers: { Authorization: `Bearer ${token}` },
      data: { email },
    })
    expect(sent.status()).toBe(202)
  }).toPass({ timeout: 10_000 })
  expect(await mailTo(email)).toHaveLength(1)
  await new Promise((resolve) => setTimeout(resolve, 2_000)) // room for a duplicate to arrive
  expect(await mailTo(email, 2, undefined, 500)).toHaveLength(1)
})
