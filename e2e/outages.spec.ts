import type { APIRequestContext } from '@playwright/test'
import { OUTAGE_APP_PORT, OUTAGE_REDIS_RELAY_PORT, OUTAGE_RELAY_PORT } from '../playwright.config'
import { createAccount, expect, logIn, seedTodos, test, todoItems } from './fixtures'
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy'

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

  const signUp = await request.post('/api/users/sign-up', { data: { username: `outage_${Date.now()}`, password: 'violet kettle drums' } })
  expect(signUp.status()).toBe(503)
  expect(await signUp.json()).toEqual({ detail: 'Service temporarily unavailable' })

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
  const { access_token: token } = await logInResponse.json()
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

async function cacheHits(request: APIRequestContext): Promise<number> {
  const metrics = await (await request.get('/api/metrics')).json()
  return metrics.cache.hits
}
