import { expect, test, type APIRequestContext } from '@playwright/test'
import { PASSWORD, uniqueUsername } from '../fixtures'
import { apiUser, expectDetail } from './client'
import { secret } from '../secrets'

test('GET /api/health answers pong', async ({ request }) => {
  const response = await request.get('/api/health')
  expect(response.status()).toBe(200)
  expect(await response.json()).toEqual({ ping: 'pong' })
})

test.describe('POST /api/users/sign-up', () => {
  test('creates the user: 201 with id and username', async ({ request }) => {
    const username = uniqueUsername('Signup')
    const response = await request.post('/api/users/sign-up', { data: { username, password: PASSWORD } })
    expect(response.status()).toBe(201)
    expect(await response.json()).toEqual({ id: expect.any(Number), username })
  })

  test('409 for a taken username, whatever its case', async ({ request }) => {
    const username = uniqueUsername('Taken')
    await request.post('/api/users/sign-up', { data: { username, password: PASSWORD } })
    const again = await request.post('/api/users/sign-up', {
      data: { username: username.toLowerCase(), password: PASSWORD },
    })
    await expectDetail(again, 409, 'Username already taken')
  })

  test('concurrent sign-ups of one name give exactly one 201', async ({ request }) => {
    const username = uniqueUsername('race')
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => request.post('/api/users/sign-up', { data: { username, password: PASSWORD } })),
    )
    const statuses = responses.map((r) => r.status()).sort()
    expect(statuses).toEqual([201, ...Array(9).fill(409)])
  })

  test('422 listing each bad field', async ({ request }) => {
    const response = await request.post('/api/users/sign-up', { data: { username: 'a', password: 'short' } })
    const body = await expectDetail(response, 422)
    expect(body.detail.map((d: { loc: string[] }) => d.loc)).toEqual([
      ['body', 'username'],
      ['body', 'password'],
    ])
  })

  test('422 for missing fields, wrong types and a common password', async ({ request }) => {
    await expectDetail(await request.post('/api/users/sign-up', { data: {} }), 422, /Field required/)
    await expectDetail(
      await request.post('/api/users/sign-up', { data: { username: 42, password: ['x'] } }),
      422,
      /must be text/,
    )
    await expectDetail(
      await request.post('/api/users/sign-up', { data: { username: uniqueUsername(), password: 'password123' } }),
      422,
      /too common/,
    )
  })
})

test.describe('usernames in any script', () => {
  const suffix = () => uniqueUsername('').slice(1).replace(/_/g, '')
  const hangul = (count: number) =>
    Array.from({ length: count }, () => String.fromCodePoint(0xac00 + Math.floor(Math.random() * 11172))).join('')
  const fullWidth = (ascii: string) => ascii.replace(/[0-9A-Za-z]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0))
  const signUp = (request: APIRequestContext, username: string) =>
    request.post('/api/users/sign-up', { data: { username, password: PASSWORD } })
  const logIn = (request: APIRequestContext, username: string) =>
    request.post('/api/users/log-in', { data: { username, password: PASSWORD } })

  test('a Korean username signs up and logs in; a decomposed one is stored composed', async ({ request }) => {
    const username = `김${hangul(6)}`
    const created = await signUp(request, username)
    expect(created.status()).toBe(201)
    expect(await created.json()).toEqual({ id: expect.any(Number), username })
    expect((await logIn(request, username)).status()).toBe(200)
    expect((await logIn(request, username.normalize('NFD'))).status()).toBe(200)

    const composed = `민${hangul(6)}`
    const decomposed = await signUp(request, composed.normalize('NFD'))
    expect(decomposed.status()).toBe(201)
    expect((await decomposed.json()).username).toBe(composed)
  })

  test('full-width and upper-case forms are the same name: 409, and they log in to it', async ({ request }) => {
    const username = `minji${suffix()}`
    expect((await signUp(request, username)).status()).toBe(201)
    await expectDetail(await signUp(request, fullWidth(username)), 409, 'Username already taken')
    await expectDetail(await signUp(request, username.toUpperCase()), 409, 'Username already taken')
    for (const typed of [username.toUpperCase(), fullWidth(username)]) expect((await logIn(request, typed)).status()).toBe(200)
  })

  test('mixed-script look-alikes get 422 with an English message', async ({ request }) => {
    const response = await signUp(request, `p\u0430ypal${suffix()}`) // a Cyrillic а
    const body = await expectDetail(response, 422)
    expect(body.detail).toEqual([
      {
        type: 'custom',
        loc: ['body', 'username'],
        msg: "Don't mix alphabets that look alike, such as Latin and Cyrillic",
      },
    ])
  })

  test('the English messages are the ones the API always gave', async ({ request }) => {
    const body = await expectDetail(await signUp(request, 'a!'), 422)
    expect(body.detail.map((d: { msg: string }) => d.msg)).toEqual([
      'Username must be at least 3 characters',
      'Use only letters, digits, and _ . -',
    ])
    await expectDetail(
      await request.post('/api/users/sign-up', { data: { username: uniqueUsername(), password: 'short' } }),
      422,
      /"Password must be at least 8 characters"/,
    )
    await expectDetail(await signUp(request, '1234'), 422, /"Include at least one letter"/)
    await expectDetail(await request.post('/api/users/log-in', { data: { username: ' ', password: 'x' } }), 422, /"Enter your username"/)
  })
})

test.describe('POST /api/users/log-in', () => {
  test('returns a bearer token', async ({ request }) => {
    const username = uniqueUsername()
    await request.post('/api/users/sign-up', { data: { username, password: PASSWORD } })
    const response = await request.post('/api/users/log-in', { data: { username, password: PASSWORD } })
    expect(response.status()).toBe(200)
    const body = await response.json()
    expect(body).toEqual({ access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), token_type: 'bearer' })
  })

  test('401 Not Authorized for a wrong password and an unknown user alike', async ({ request }) => {
    const username = uniqueUsername()
    await request.post('/api/users/sign-up', { data: { username, password: PASSWORD } })
    const wrong = await request.post('/api/users/log-in', { data: { username, password: 'not it at all' } })
    const unknown = await request.post('/api/users/log-in', {
      data: { username: uniqueUsername('nobody'), password: PASSWORD },
    })
    await expectDetail(wrong, 401, 'Not Authorized')
    await expectDetail(unknown, 401, 'Not Authorized')
  })

  test('422 for a body without fields', async ({ request }) => {
    await expectDetail(await request.post('/api/users/log-in', { data: { username: 'x' } }), 422, /password/)
  })
})

test.describe('/api/users/me', () => {
  test('answers the caller’s account and changes its zone and language', async ({ request }) => {
    const user = await apiUser(request, 'me')
    const me = await request.get('/api/users/me', { headers: user.headers })
    expect(await me.json()).toEqual({ id: user.id, username: user.username, email: null, time_zone: 'UTC', locale: null })
    const changed = await request.patch('/api/users/me', {
      headers: user.headers,
      data: { time_zone: 'asia/seoul', locale: 'ko' },
    })
    expect(await changed.json()).toEqual({ id: user.id, username: user.username, email: null, time_zone: 'Asia/Seoul', locale: 'ko' })
    expect(await (await request.get('/api/users/me', { headers: user.headers })).json()).toMatchObject({ time_zone: 'Asia/Seoul' })
    await expectDetail(
      await request.patch('/api/users/me', { headers: user.headers, data: { time_zone: 'Mars/Olympus', locale: 'fr' } }),
      422,
      /IANA time zone.*locale must be en or ko/,
    )
    await expectDetail(await request.get('/api/users/me'), 401, 'Not Authorized')
  })

  test('sign-up takes an optional time_zone', async ({ request }) => {
    const username = uniqueUsername('tz')
    const signUp = await request.post('/api/users/sign-up', { data: { username, password: PASSWORD, time_zone: 'Europe/Berlin' } })
    expect(signUp.status()).toBe(201)
    const logIn = await request.post('/api/users/log-in', { data: { username, password: PASSWORD } })
    const token = secret((await logIn.json()).access_token as string)
    const me = await request.get('/api/users/me', { headers: { Authorization: `Bearer ${token}` } })
    expect((await me.json()).time_zone).toBe('Europe/Berlin')
  })
})
