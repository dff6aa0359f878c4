import { expect, test, type APIRequestContext } from '@playwright/test'
import { createAccount, logIn, PASSWORD, uniqueUsername } from '../fixtures'

const logInApi = (request: APIRequestContext, username: string, password: string, headers = {}) =>
  request.post('/api/users/log-in', { data: { username, password }, headers })

test.describe('log-in throttling (10 failures per username in 15 minutes)', () => {
  test('the 11th attempt is refused with 429 and Retry-After, even with the right password', async ({ request }) => {
    const account = await createAccount('victim')
    for (let i = 0; i < 10; i++) expect((await logInApi(request, account.username, `wrong ${i}`)).status()).toBe(401)
    const blocked = await logInApi(request, account.username, PASSWORD)
    expect(blocked.status()).toBe(429)
    expect(Number(blocked.headers()['retry-after'])).toBeGreaterThan(800)
    expect((await blocked.json()).detail).toMatch(/Too many failed log-in attempts; try again in \d+ seconds/)
  })

  test('other users can still log in meanwhile', async ({ request }) => {
    const victim = await createAccount('victim')
    const bystander = await createAccount('bystander')
    for (let i = 0; i < 10; i++) await logInApi(request, victim.username, 'wrong password')
    expect((await logInApi(request, victim.username, PASSWORD)).status()).toBe(429)
    expect((await logInApi(request, bystander.username, PASSWORD)).status()).toBe(200)
  })

  test('unknown usernames are throttled alike, so the answer reveals nothing', async ({ request }) => {
    const nobody = uniqueUsername('nobody')
    for (let i = 0; i < 10; i++) expect((await logInApi(request, nobody, 'whatever')).status()).toBe(401)
    expect((await logInApi(request, nobody, 'whatever')).status()).toBe(429)
  })

  test('spoofed forwarding headers change nothing', async ({ request }) => {
    const account = await createAccount('spoof')
    for (let i = 0; i < 10; i++) {
      const spoofed = { 'X-Forwarded-For': `203.0.113.${i}`, 'X-Client-IP': `198.51.100.${i}`, 'X-Real-IP': '192.0.2.1' }
      expect((await logInApi(request, account.username, 'wrong', spoofed)).status()).toBe(401)
    }
    expect((await logInApi(request, account.username, PASSWORD, { 'X-Forwarded-For': '192.0.2.200' })).status()).toBe(429)
  })

  test('the log-in form says when to try again', async ({ page, request }) => {
    const account = await createAccount('form')
    for (let i = 0; i < 10; i++) await logInApi(request, account.username, 'wrong password')
    await logIn(page, account)
    await expect(page.getByRole('alert').filter({ hasText: /Too many failed attempts\. Try again in 1[45] minutes\./ })).toBeVisible()
    await expect(page).toHaveURL(/\/login/)
  })
})
