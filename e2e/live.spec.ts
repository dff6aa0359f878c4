import type { Browser, BrowserContext, Page } from '@playwright/test'
import { E2E_DATABASE_URL, PEER_APP_PORT } from '../playwright.config'
import { freePort } from '../scripts/lib/free-port'
import { readEvents } from '../test/support/sse'
import { startTcpProxy } from '../test/support/tcp-proxy'
import { apiUser, createApiTodo } from './api/client'
import { startAppServer } from './app-server'
import { createAccount, expect, logIn, newTodoInput, PASSWORD, seedTodos, test, todoRow, todoTexts, type Account } from './fixtures'

// Two devices are two browser contexts; two machines behind a load balancer are the main instance
// and its peer (playwright.config.ts), sharing MariaDB and Redis. "Within 2 s" is the bound.
const LIVE = { timeout: 2_000 }
const PEER = `http://localhost:${PEER_APP_PORT}`

async function deviceOn(browser: Browser, baseURL: string, account: Account): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL })
  const page = await context.newPage()
  await logIn(page, account)
  await expect(page).toHaveURL(/\/todos$/)
  await waitUntilLive(page)
  return { context, page }
}

/** The page has its stream (or its tab has the leader's): what happens elsewhere from now on shows. */
async function waitUntilLive(page: Page) {
  await expect(page.locator('[data-live="live"]')).toHaveCount(1)
}

const checkbox = (page: Page, contents: string) => todoRow(page, contents).getByRole('checkbox')

test('a change on either device, through either instance, shows on the other without a reload, keeping what is typed', async ({ browser, baseURL }) => {
  const account = await createAccount('live')
  await seedTodos(account, [{ contents: 'Water the plants' }, { contents: 'Call mum' }])
  const laptop = await deviceOn(browser, baseURL!, account)
  const phone = await deviceOn(browser, PEER, account)

  // The phone is half-way through typing a new todo and through editing another.
  await newTodoInput(phone.page).fill('Buy bre')
  await todoRow(phone.page, 'Call mum').getByText('Call mum').dblclick()
  const editField = phone.page.getByRole('textbox', { name: 'Edit “Call mum”' })
  await editField.fill('Call mum tonight')

  // Ticked on the laptop: ticked on the phone, its typing untouched.
  await checkbox(laptop.page, 'Water the plants').click()
  await expect(checkbox(phone.page, 'Water the plants')).toBeChecked(LIVE)
  await expect(phone.page.getByText('1 item left')).toBeVisible(LIVE)
  await expect(newTodoInput(phone.page)).toHaveValue('Buy bre')
  await expect(editField).toHaveValue('Call mum tonight')
  await expect(editField).toBeFocused()

  // Added on the phone (the other instance): shown on the laptop.
  await editField.press('Enter')
  await newTodoInput(phone.page).fill('Buy bread')
  await newTodoInput(phone.page).press('Enter')
  await expect(todoTexts(laptop.page)).toHaveText(['Water the plants', 'Call mum tonight', 'Buy bread'], LIVE)
  await expect(laptop.page.getByText('2 items left')).toBeVisible()

  // The filters stay right: the laptop shows Active, and the phone completes one more.
  await laptop.page.getByRole('link', { name: 'Active' }).click()
  await expect(todoTexts(laptop.page)).toHaveText(['Call mum tonight', 'Buy bread'])
  await checkbox(phone.page, 'Buy bread').click()
  await expect(todoTexts(laptop.page)).toHaveText(['Call mum tonight'], LIVE)
  await laptop.context.close()
  await phone.context.close()
})

test('a change through the API shows on every open device', async ({ browser, request, baseURL }) => {
  const user = await apiUser(request, 'live_api')
  const account = { id: user.id, username: user.username, password: PASSWORD }
  const laptop = await deviceOn(browser, baseURL!, account)
  const phone = await deviceOn(browser, PEER, account)
  const created = await createApiTodo(request, user, 'From the API')
  await expect(todoTexts(laptop.page)).toHaveText(['From the API'], LIVE)
  await expect(todoTexts(phone.page)).toHaveText(['From the API'], LIVE)
  await request.delete(`/api/todos/${created.id}`, { headers: user.headers })
  await expect(todoTexts(phone.page)).toHaveCount(0, LIVE)
  await laptop.context.close()
  await phone.context.close()
})

test('ten tabs share one stream and all update; an eleventh tab still loads at once', async ({ browser, request, baseURL }) => {
  test.setTimeout(90_000)
  const user = await apiUser(request, 'live_tabs')
  const account = { id: user.id, username: user.username, password: PASSWORD }
  const context = await browser.newContext({ baseURL: baseURL! })
  let streams = 0
  context.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/events') streams++
  })
  const first = await context.newPage()
  await logIn(first, account)
  await expect(first).toHaveURL(/\/todos$/)
  const tabs = [first]
  for (let i = 1; i < 10; i++) {
    const tab = await context.newPage()
    await tab.goto('/todos')
    tabs.push(tab)
  }
  for (const tab of tabs) await waitUntilLive(tab)
  await createApiTodo(request, user, 'Seen in every tab')
  // Every tab re-renders its page on the server at once: ten renders on a two-core machine that
  // runs another test worker beside this one. The 2-second promise is for one page per device
  // (the tests above); here the point is that all ten update from one stream.
  for (const tab of tabs) await expect(todoTexts(tab)).toHaveText(['Seen in every tab'], { timeout: 10_000 })
  expect(streams).toBe(1)

  const eleventh = await context.newPage()
  const started = Date.now()
  await eleventh.goto('/todos')
  await expect(todoTexts(eleventh)).toHaveText(['Seen in every tab'])
  expect(Date.now() - started).toBeLessThan(5_000)

  // The tab holding the stream closes: another takes it over (a new stream, which says the version
  // first: the write below may come before it), and the tabs stay live.
  await first.close()
  await createApiTodo(request, user, 'After the leader left')
  const handOver = { timeout: 5_000 }
  for (const tab of [...tabs.slice(1), eleventh]) await expect(todoTexts(tab)).toHaveText(['Seen in every tab', 'After the leader left'], handOver)
  expect(streams).toBe(2)
  await context.close()
})

test('logging out ends the stream, and the open list goes to the log-in page', async ({ page, context }) => {
  const account = await createAccount('live_out')
  await logIn(page, account)
  await expect(page).toHaveURL(/\/todos$/)
  await waitUntilLive(page)
  const other = await context.newPage()
  await other.goto('/todos')
  await other.getByRole('button', { name: 'Log out' }).click()
  await expect(other).toHaveURL(/\/login/)
  await expect(page).toHaveURL(/\/login/, { timeout: 5_000 })
})

test('the stream needs a session or a token, and ends within seconds of "log out everywhere"', async ({ request, baseURL, page }) => {
  const refused = await fetch(`${baseURL}/api/events`)
  expect(refused.status).toBe(401)
  expect(refused.headers.get('www-authenticate')).toBe('Bearer')
  expect(await refused.json()).toEqual({ detail: 'Not Authorized' })
  expect((await fetch(`${baseURL}/api/events`, { headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401)
  const user = await apiUser(request, 'live_token')
  expect((await fetch(`${baseURL}/api/events`, { method: 'POST', headers: user.headers })).status).toBe(405)
  const response = await fetch(`${baseURL}/api/events`, { headers: user.headers })
  expect(response.status).toBe(200)
  // What proxies need to pass it on as it comes, and what every API answer carries.
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
  expect(response.headers.get('cache-control')).toMatch(/no-cache/)
  expect(response.headers.get('x-accel-buffering')).toBe('no')
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
  expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  const stream = readEvents(response)
  await expect.poll(() => stream.versions().length).toBe(1)
  await createApiTodo(request, user, 'still signed in')
  await expect.poll(() => stream.versions().length).toBe(2)
  expect(stream.ended()).toBe(false)

  await logIn(page, { username: user.username, password: PASSWORD })
  await expect(page).toHaveURL(/\/todos$/)
  await page.goto('/account')
  await page.getByRole('button', { name: 'Log out everywhere' }).click()
  await expect(page).toHaveURL(/\/login/)
  await expect.poll(() => stream.ended(), { timeout: 5_000 }).toBe(true)
  expect((await fetch(`${baseURL}/api/events`, { headers: user.headers })).status).toBe(401)
})

test('Redis stopped and started: the page says it is not live, then catches up', async ({ browser, request }) => {
  test.setTimeout(90_000)
  const relayPort = await freePort()
  let relay = await startTcpProxy(relayPort, 6379)
  const prefix = `todos-${new URL(E2E_DATABASE_URL).pathname.slice(1)}`
  const server = await startAppServer({ DATABASE_URL: E2E_DATABASE_URL, REDIS_URL: `redis://127.0.0.1:${relayPort}`, REDIS_PREFIX: prefix })
  try {
    const user = await apiUser(request, 'live_redis')
    const account = { id: user.id, username: user.username, password: PASSWORD }
    const { context, page } = await deviceOn(browser, server.base, account)
    await relay.stop()
    await expect(page.getByRole('status').filter({ hasText: 'Not live' })).toBeVisible({ timeout: 10_000 })
    await createApiTodo(request, user, 'Made while Redis was away from that instance')
    relay = await startTcpProxy(relayPort, 6379)
    await expect(todoTexts(page)).toHaveText(['Made while Redis was away from that instance'], { timeout: 10_000 })
    await expect(page.getByRole('status').filter({ hasText: 'Not live' })).toHaveCount(0)
    await context.close()
  } finally {
    server.stop()
    await relay.stop()
  }
})
