import { expect, test, type APIRequestContext } from '@playwright/test'
import {
  database,
  mailTo,
  PASSWORD,
  PASSWORD_CHANGED_SUBJECT,
  RESET_SUBJECT,
  resetLinkIn,
  uniqueEmail,
  verifiedAccount,
} from '../fixtures'
import { apiUser, expectDetail } from './client'
import { secret } from '../secrets'

// The password-reset contract of the JSON API: what it answers, what it mails, what it refuses,
// and that the answer (and its time) says nothing about whether an account has the address.

const REQUESTED = { detail: 'If an account has this verified email address, a link to reset its password is on its way.' }
const DEAD_TOKEN = 'Invalid, expired or used reset token'
const NEW_PASSWORD = secret('a brand new kettle')

const forgot = (request: APIRequestContext, data: unknown) => request.post('/api/users/password/forgot', { data })
const reset = (request: APIRequestContext, data: unknown) => request.post('/api/users/password/reset', { data })

async function tokenFor(request: APIRequestContext, email: string, count = 1): Promise<string> {
  expect((await forgot(request, { email })).status()).toBe(202)
  const mail = await mailTo(email, count, RESET_SUBJECT)
  return resetLinkIn(mail[count - 1]).token
}

test.describe('POST /api/users/password/forgot', () => {
  test('answers 202 with the same body for a verified, an unverified and an unknown address', async ({ request }) => {
    const verified = await verifiedAccount('apiknown')
    const unverified = await apiUser(request, 'apiunverified')
    const unverifiedEmail = uniqueEmail('unverified')
    await database().execute('UPDATE `user` SET email = ? WHERE id = ?', [unverifiedEmail, unverified.id])
    const unknown = uniqueEmail('nobody')

    const bodies = []
    for (const email of [verified.email, unverifiedEmail, unknown]) {
      const response = await forgot(request, { email })
      expect(response.status()).toBe(202)
      expect(response.headers()['content-type']).toMatch(/^application\/json/)
      bodies.push(await response.text())
    }
    expect(new Set(bodies).size).toBe(1)
    expect(JSON.parse(bodies[0]!)).toEqual(REQUESTED)

    const [mail] = await mailTo(verified.email, 1, RESET_SUBJECT)
    expect(bodies[0]).not.toContain(resetLinkIn(mail).token)
    // The unverified and unknown addresses get nothing (the verified one's mail has long arrived).
    expect(await mailTo(unverifiedEmail, 1, undefined, 1_500)).toEqual([])
    expect(await mailTo(unknown, 1, undefined, 100)).toEqual([])
  })

  test('over the per-address limit: still the same 202, but no more mail', async ({ request }) => {
    const account = await verifiedAccount('apilimit')
    for (let i = 0; i < 5; i++) {
      const response = await forgot(request, { email: account.email })
      expect(response.status()).toBe(202)
      expect(await response.json()).toEqual(REQUESTED)
    }
    await mailTo(account.email, 3, RESET_SUBJECT)
    expect(await mailTo(account.email, 4, RESET_SUBJECT, 1_500)).toHaveLength(3)
  })

  test('422 only for a body that is not an email address; 415 for a form', async ({ request }) => {
    await expectDetail(await forgot(request, { email: 'not an address' }), 422, /valid email/)
    await expectDetail(await forgot(request, {}), 422, /"loc":\["body","email"\]/)
    await expectDetail(await forgot(request, { email: 42 }), 422)
    await expectDetail(await forgot(request, ['a@b.co']), 422)
    await expectDetail(
      await request.post('/api/users/password/forgot', { form: { email: 'a@b.co' } }),
      415,
      'Content-Type must be application/json',
    )
  })

  test('takes a known and an unknown address in the same time', async ({ request }) => {
    test.setTimeout(60_000)
    const accounts = await Promise.all(Array.from({ length: 15 }, (_, i) => verifiedAccount(`timing${i}`)))
    // Warm the route and the connections first: the first requests of a fresh server are slow.
    for (let i = 0; i < 5; i++) await forgot(request, { email: uniqueEmail('warm') })
    const known: number[] = []
    const unknown: number[] = []
    const time = async (email: string) => {
      const started = performance.now()
      const response = await forgot(request, { email })
      const elapsed = performance.now() - started
      expect(response.status()).toBe(202)
      return elapsed
    }
    // Interleaved, the order swapped every pair, so that neither kind always follows the other's
    // background work (the worker mails known addresses in this same server process).
    for (const [i, account] of accounts.entries()) {
      if (i % 2 === 0) {
        known.push(await time(account.email))
        unknown.push(await time(uniqueEmail('nobody')))
      } else {
        unknown.push(await time(uniqueEmail('nobody')))
        known.push(await time(account.email))
      }
    }
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b)
    const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)]!
    const [k, u] = [median(known), median(unknown)]
    console.log(
      `[timing] POST /api/users/password/forgot over HTTP, 15 each: known median ${k.toFixed(1)} ms ` +
        `(${sorted(known)[0]!.toFixed(1)}–${sorted(known).at(-1)!.toFixed(1)}), unknown median ${u.toFixed(1)} ms ` +
        `(${sorted(unknown)[0]!.toFixed(1)}–${sorted(unknown).at(-1)!.toFixed(1)})`,
    )
    // The server does the same work for both; what differs is the machine's noise.
    expect(Math.abs(k - u)).toBeLessThan(Math.max(5, 0.5 * Math.min(k, u)))
  })
})

test.describe('POST /api/users/password/reset', () => {
  test('200 {id, username}; every token ends, the old password is refused, the link is used up, a notice is sent', async ({
    request,
  }) => {
    const account = await verifiedAccount('apireset')
    const logIn = (password: string) => request.post('/api/users/log-in', { data: { username: account.username, password } })
    const oldToken = secret((await (await logIn(PASSWORD)).json()).access_token as string)
    expect((await request.get('/api/todos', { headers: { Authorization: `Bearer ${oldToken}` } })).status()).toBe(200)

    const token = await tokenFor(request, account.email)
    const done = await reset(request, { token, password: NEW_PASSWORD })
    expect(done.status()).toBe(200)
    expect(await done.json()).toEqual({ id: account.id, username: account.username })

    await expectDetail(await request.get('/api/todos', { headers: { Authorization: `Bearer ${oldToken}` } }), 401)
    await expectDetail(await logIn(PASSWORD), 401, 'Not Authorized')
    expect((await logIn(NEW_PASSWORD)).status()).toBe(200)
    await expectDetail(await reset(request, { token, password: 'yet another kettle' }), 400, DEAD_TOKEN)
    expect(await mailTo(account.email, 1, PASSWORD_CHANGED_SUBJECT)).toHaveLength(1)
  })

  test('400 for an unknown, malformed or superseded token', async ({ request }) => {
    await expectDetail(await reset(request, { token: 'k3Jd0sQm5cVx2yBnLp8tRw1eZa7uHf4gOi6jMvNqXbY', password: NEW_PASSWORD }), 400, DEAD_TOKEN)
    await expectDetail(await reset(request, { token: 'not a token', password: NEW_PASSWORD }), 400, DEAD_TOKEN)

    const account = await verifiedAccount('apisuperseded')
    const first = await tokenFor(request, account.email, 1)
    const second = await tokenFor(request, account.email, 2)
    await expectDetail(await reset(request, { token: first, password: NEW_PASSWORD }), 400, DEAD_TOKEN)
    expect((await reset(request, { token: second, password: NEW_PASSWORD })).status()).toBe(200)
  })

  test('422 for a password the sign-up rules refuse (and the token still works after)', async ({ request }) => {
    const account = await verifiedAccount('apiweak')
    const token = await tokenFor(request, account.email)
    await expectDetail(await reset(request, { token, password: 'short' }), 422, /at least 8 characters/)
    await expectDetail(await reset(request, { token, password: 'password123' }), 422, /too common/)
    await expectDetail(await reset(request, { token, password: 'q'.repeat(129) }), 422, /at most 128 characters/)
    await expectDetail(await reset(request, { token }), 422, /"loc":\["body","password"\]/)
    await expectDetail(await reset(request, { password: NEW_PASSWORD }), 422, /"loc":\["body","token"\]/)
    await expectDetail(await reset(request, { token: 42, password: NEW_PASSWORD }), 422)
    await expectDetail(
      await request.post('/api/users/password/reset', { form: { token, password: NEW_PASSWORD } }),
      415,
    )
    expect((await reset(request, { token, password: NEW_PASSWORD })).status()).toBe(200)
  })

  test('two resets racing with one token: one 200, one 400', async ({ request }) => {
    const account = await verifiedAccount('apirace')
    const token = await tokenFor(request, account.email)
    const [a, b] = await Promise.all([
      reset(request, { token, password: 'racing kettle one' }),
      reset(request, { token, password: 'racing kettle two' }),
    ])
    expect([a.status(), b.status()].sort()).toEqual([200, 400])
  })
})
