import { expect, test } from '@playwright/test'
import { PASSWORD, uniqueUsername } from '../fixtures'
import { expectDetail } from './client'

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
