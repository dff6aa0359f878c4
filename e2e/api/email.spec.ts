import { expect, test } from '@playwright/test'
import { CODE_SUBJECT, codeIn, mailTo, uniqueEmail } from '../fixtures'
import { apiUser, expectDetail } from './client'

test.describe('email verification over the API', () => {
  test('request a code (202, never in the response), verify it, read it back', async ({ request }) => {
    const user = await apiUser(request)
    const email = uniqueEmail('api')
    const sent = await request.post('/api/users/email/otp', { headers: user.headers, data: { email } })
    expect(sent.status()).toBe(202)
    const [mail] = await mailTo(email)
    const code = codeIn(mail)
    expect(await sent.text()).not.toContain(code)

    const verified = await request.post('/api/users/email/otp/verify', {
      headers: user.headers,
      data: { email, otp: code },
    })
    expect(verified.status()).toBe(200)
    expect(await verified.json()).toEqual({ id: user.id, username: user.username, email })

    // Single use: the same code again is refused.
    await expectDetail(
      await request.post('/api/users/email/otp/verify', { headers: user.headers, data: { email, otp: code } }),
      400,
      'Invalid, expired or used code',
    )
  })

  test('a code is bound to the address it was sent to', async ({ request }) => {
    const user = await apiUser(request)
    const email = uniqueEmail('bound')
    await request.post('/api/users/email/otp', { headers: user.headers, data: { email } })
    const code = codeIn((await mailTo(email))[0])
    await expectDetail(
      await request.post('/api/users/email/otp/verify', {
        headers: user.headers,
        data: { email: uniqueEmail('other'), otp: code },
      }),
      400,
    )
  })

  test('another user cannot use my code', async ({ request }) => {
    const alice = await apiUser(request, 'alice')
    const mallory = await apiUser(request, 'mallory')
    const email = uniqueEmail('alice')
    await request.post('/api/users/email/otp', { headers: alice.headers, data: { email } })
    const code = codeIn((await mailTo(email))[0])
    await expectDetail(
      await request.post('/api/users/email/otp/verify', { headers: mallory.headers, data: { email, otp: code } }),
      400,
    )
  })

  test('an address verified by another account is refused without naming it', async ({ request }) => {
    const first = await apiUser(request, 'first')
    const second = await apiUser(request, 'second')
    const email = uniqueEmail('shared')
    const verifyWithNewCode = async (user: typeof first, codeNumber: number) => {
      await request.post('/api/users/email/otp', { headers: user.headers, data: { email } })
      const code = codeIn((await mailTo(email, codeNumber, CODE_SUBJECT))[codeNumber - 1])
      return request.post('/api/users/email/otp/verify', { headers: user.headers, data: { email, otp: code } })
    }
    expect((await verifyWithNewCode(first, 1)).status()).toBe(200)
    const conflict = await verifyWithNewCode(second, 2)
    await expectDetail(conflict, 409, 'This email address cannot be used')
    expect(await conflict.text()).not.toContain(first.username)
  })

  test('needs a token, and validates the body', async ({ request }) => {
    await expectDetail(await request.post('/api/users/email/otp', { data: { email: 'a@b.co' } }), 401)
    const user = await apiUser(request)
    await expectDetail(
      await request.post('/api/users/email/otp', { headers: user.headers, data: { email: 'nope' } }),
      422,
      /valid email/,
    )
    await expectDetail(
      await request.post('/api/users/email/otp/verify', {
        headers: user.headers,
        data: { email: 'a@b.co', otp: '12ab56' },
      }),
      422,
      /6-digit/,
    )
  })

  test('a second request within 30 s gets 429 with Retry-After', async ({ request }) => {
    const user = await apiUser(request)
    const email = uniqueEmail('throttle')
    expect((await request.post('/api/users/email/otp', { headers: user.headers, data: { email } })).status()).toBe(202)
    const again = await request.post('/api/users/email/otp', { headers: user.headers, data: { email } })
    await expectDetail(again, 429, /try again in \d+ seconds/)
    expect(Number(again.headers()['retry-after'])).toBeGreaterThan(0)
  })
})
