import { randomBytes } from 'node:crypto'
import { networkInterfaces } from 'node:os'
import { E2E_METRICS_TOKEN } from '../playwright.config'
import { apiUser } from './api/client'
import { expect, test, todoTexts } from './fixtures'
import { metric, readMetrics } from './metrics'
import { secret } from './secrets'
import { logLines } from './server-logs'

const PORT = Number(process.env.E2E_PORT ?? 3100)

test.describe('readiness and liveness', () => {
  test('/api/ready: 200 while MariaDB and Redis answer, never cached; /api/health stays a bare pong', async ({ request }) => {
    const ready = await request.get('/api/ready')
    expect(ready.status()).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready' })
    expect(ready.headers()['cache-control']).toBe('no-store')
    expect(await (await request.get('/api/health')).json()).toEqual({ ping: 'pong' })
    // The outages (503 naming MariaDB or Redis) are in outages.spec.ts, on the instance behind relays.
  })
})

test.describe('metrics', () => {
  test('Prometheus text with our metrics and Node’s, for a loopback caller', async ({ request }) => {
    const response = await request.get('/api/metrics')
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(response.headers()['cache-control']).toBe('no-store')
    const text = await response.text()
    for (const [name, type] of [
      ['todos_http_requests_total', 'counter'],
      ['todos_http_request_duration_seconds', 'histogram'],
      ['todos_cache_hits_total', 'counter'],
      ['todos_cache_misses_total', 'counter'],
      ['todos_redis_errors_total', 'counter'],
      ['todos_database_errors_total', 'counter'],
      ['todos_queue_jobs', 'gauge'],
      ['todos_jobs_failed_total', 'counter'],
      ['todos_reminder_lag_seconds', 'histogram'],
      ['todos_live_streams', 'gauge'],
      ['todos_live_events_total', 'counter'],
      ['process_cpu_user_seconds_total', 'counter'],
      ['nodejs_eventloop_lag_seconds', 'gauge'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${type}\n`)
    }
    // The queues' depth is read from Redis at the scrape.
    const samples = await readMetrics(request)
    expect(samples).toContainEqual(expect.objectContaining({ name: 'todos_queue_jobs', labels: { queue: 'email', state: 'waiting' } }))
  })

  test('the counters move: requests by route pattern and status (timed in server.mjs), cache hits', async ({ request }) => {
    const health = { method: 'GET', route: '/api/health', status: '200' }
    const before = await metric(request, 'todos_http_requests_total', health)
    for (let i = 0; i < 3; i++) expect((await request.get('/api/health')).status()).toBe(200)
    await expect(async () => expect(await metric(request, 'todos_http_requests_total', health)).toBeGreaterThanOrEqual(before + 3)).toPass()
    expect(await metric(request, 'todos_http_request_duration_seconds_count', { method: 'GET', route: '/api/health' })).toBeGreaterThanOrEqual(3)

    // A dynamic route is counted by its pattern, never by its URL.
    const id = String(900_000_000 + Math.floor(Math.random() * 1_000_000))
    expect((await request.get(`/api/todos/${id}`)).status()).toBe(401)
    await expect(async () => {
      const samples = await readMetrics(request)
      expect(samples).toContainEqual(
        expect.objectContaining({ name: 'todos_http_requests_total', labels: { method: 'GET', route: '/api/todos/:id', status: '401' } }),
      )
      expect(samples.some((sample) => Object.values(sample.labels).some((value) => value.includes(id)))).toBe(false)
    }).toPass()

    // The cache's counters (kept by the Next bundle) are in the same registry as server.mjs's.
    const user = await apiUser(request, 'metrics')
    const hits = await metric(request, 'todos_cache_hits_total')
    const misses = await metric(request, 'todos_cache_misses_total')
    for (let i = 0; i < 3; i++) expect((await request.get('/api/todos', { headers: user.headers })).status()).toBe(200)
    expect(await metric(request, 'todos_cache_misses_total')).toBeGreaterThan(misses)
    expect(await metric(request, 'todos_cache_hits_total')).toBeGreaterThan(hits)
  })

  test('from another address: 401 without the bearer METRICS_TOKEN, 200 with it', async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address
    // Needed to call from outside loopback; every machine this suite runs on has one (a test that
    // skipped itself here would prove nothing).
    expect(address, 'a non-loopback IPv4 address of this machine').toBeTruthy()
    secret(E2E_METRICS_TOKEN)
    const url = `http://${address}:${PORT}/api/metrics`
    const anonymous = await fetch(url)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="metrics"')
    expect((await fetch(url, { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}x` } })).status).toBe(401)
    expect((await fetch(url, { headers: { authorization: 'Bearer short' } })).status).toBe(401)
    // A forged client address is overwritten by server.mjs.
    expect((await fetch(url, { headers: { 'x-client-ip': '127.0.0.1', 'x-forwarded-for': '127.0.0.1' } })).status).toBe(401)
    const allowed = await fetch(url, { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } })
    expect(allowed.status).toBe(200)
    expect(await allowed.text()).toContain('todos_http_requests_total')
  })
})

test.describe('logs', () => {
  test('a request id: a valid X-Request-Id is kept and echoed, anything else replaced by a new one', async ({ request }) => {
    const id = `e2e-${randomBytes(6).toString('hex')}`
    expect((await request.get('/api/health', { headers: { 'X-Request-Id': id } })).headers()['x-request-id']).toBe(id)
    for (const bad of ['has spaces in it', 'x'.repeat(129), '{"level":"fatal"}', '']) {
      const echoed = (await request.get('/api/health', { headers: { 'X-Request-Id': bad } })).headers()['x-request-id']
      expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    }
    expect((await request.get('/login')).headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('one JSON line per request, with its id, the instance and the level; the path without its query', async ({ request }) => {
    const id = `e2e-${randomBytes(6).toString('hex')}`
    const query = secret(`token=${randomBytes(12).toString('hex')}`)
    await request.get(`/api/health?${query}`, { headers: { 'X-Request-Id': id } })
    await expect(async () => {
      const lines = logLines(PORT).filter((line) => line.requestId === id)
      expect(lines).toHaveLength(1)
      const [line] = lines
      expect(line).toMatchObject({ level: 'info', component: 'server', msg: 'request', method: 'GET', path: '/api/health', status: 200 })
      expect(line!.instance).toEqual(expect.any(String))
      expect(new Date(line!.time).toISOString()).toBe(line!.time)
      expect(line!.ms).toEqual(expect.any(Number))
    }).toPass({ timeout: 5_000 })
    // Every line of ours is JSON (one that is not would have thrown in logLines).
    expect(logLines(PORT).length).toBeGreaterThan(1)
  })
})

test.describe('one build, many instances', () => {
  // 42 hex digits is the shape of a real action id; this one is in no build.
  const UNKNOWN_ACTION = `7f${randomBytes(20).toString('hex')}`

  test('an action id this build does not have: 409 (or 400 when malformed), never a 500', async ({ request }) => {
    for (const [action, status] of [
      [UNKNOWN_ACTION, 409],
      ['bogus', 400],
    ] as const) {
      const response = await request.post('/login', {
        headers: { 'Next-Action': action, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
        data: '[]',
      })
      expect(response.status(), `Next-Action: ${action}`).toBe(status)
    }
  })

  test('a page of an older build whose form posts to this one says to reload, not "something went wrong"', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    // The page's action ids are this build's; rewriting them is what a newer server sees from an old tab.
    await page.route('**/*', async (route) => {
      const headers = route.request().headers()
      if (route.request().method() === 'POST' && headers['next-action']) {
        await route.continue({ headers: { ...headers, 'next-action': UNKNOWN_ACTION } })
      } else {
        await route.continue()
      }
    })
    await page.getByLabel('What needs to be done?').fill('from an old tab')
    await page.getByLabel('What needs to be done?').press('Enter')
    await expect(page.getByRole('heading', { name: 'This page is out of date' })).toBeVisible()
    await expect(page.getByText('Reload the page and try again; nothing was changed.')).toBeVisible()
    await page.unroute('**/*')
    await page.getByRole('button', { name: 'Reload the page' }).click()
    await expect(page.getByLabel('What needs to be done?')).toBeVisible()
    // The change was kept in the browser (the outbox): the reloaded page, of this build, sends it once.
    await expect(todoTexts(page)).toHaveText(['from an old tab'])
  })
})
