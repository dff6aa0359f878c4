import { createHmac, hkdfSync } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { SignJWT } from 'jose'
import { E2E_AUTH_SECRET } from '../../playwright.config'
import { database } from '../fixtures'
import { apiUser, expectDetail } from './client'

const base64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

test.describe('bearer tokens are verified strictly', () => {
  test('every todo route needs a valid token', async ({ request }) => {
    for (const [method, path] of [
      ['GET', '/api/todos'],
      ['POST', '/api/todos'],
      ['GET', '/api/todos/1'],
      ['PATCH', '/api/todos/1'],
      ['DELETE', '/api/todos/1'],
    ] as const) {
      const response = await request.fetch(path, { method, data: method === 'GET' ? undefined : { contents: 'x' } })
      await expectDetail(response, 401, 'Not Authorized')
      expect(response.headers()['www-authenticate']).toBe('Bearer')
    }
  })

  test('malformed, empty, forged, unsigned and foreign tokens get 401, never 500', async ({ request }) => {
    const user = await apiUser(request)
    const [header, payload] = user.token.split('.') as [string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const otherClaims = base64url({ ...claims, sub: String(claims.sub === '1' ? 2 : 1) })
    const candidates = [
      '',
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Bearer not.a.jwt',
      `Bearer ${user.token}x`,
      `Bearer ${header}.${otherClaims}.${user.token.split('.')[2]}`, // someone else's id, our signature
      `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`, // alg: none
      `Bearer ${base64url({ alg: 'HS256', typ: 'JWT' })}.${payload}.${createHmac('sha256', 'guess').update(`${base64url({ alg: 'HS256', typ: 'JWT' })}.${payload}`).digest('base64url')}`,
      `Bearer ${'a'.repeat(5000)}`,
      `Bearer ${user.token} ${user.token}`,
    ]
    for (const authorization of candidates) {
      const response = await request.get('/api/todos', { headers: { Authorization: authorization } })
      expect(response.status(), authorization.slice(0, 60)).toBe(401)
    }
  })

  test('a token signed with the right key is refused once expired, or for another audience', async ({
    request,
  }) => {
    const user = await apiUser(request)
    const claims = JSON.parse(Buffer.from(user.token.split('.')[1]!, 'base64url').toString())
    expect(claims.exp - claims.iat).toBe(24 * 60 * 60)

    // Mint tokens with the server's own key (the test knows the e2e secret and the derivation),
    // so that only the claim under test differs from a valid token.
    const key = new Uint8Array(hkdfSync('sha256', E2E_AUTH_SECRET, 'todos api', 'access token signing key v1', 32))
    const mint = (overrides: { exp?: number; aud?: string; ver?: number }) =>
      new SignJWT({ ver: overrides.ver ?? 0 })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(user.id))
        .setIssuer('todos')
        .setAudience(overrides.aud ?? 'todos-api')
        .setIssuedAt()
        .setExpirationTime(overrides.exp ?? '1h')
        .sign(key)
    const get = async (token: string) =>
      (await request.get('/api/todos', { headers: { Authorization: `Bearer ${token}` } })).status()

    expect(await get(await mint({}))).toBe(200) // the minting matches the server's
    expect(await get(await mint({ exp: Math.floor(Date.now() / 1000) - 60 }))).toBe(401)
    expect(await get(await mint({ aud: 'someone-else' }))).toBe(401)
    expect(await get(await mint({ ver: 1 }))).toBe(401) // not the account's session version
  })

  test('a deleted user’s token gets 401', async ({ request }) => {
    // Deleted behind the app's back, before the token's first use (so that no check of it is cached:
    // deletion through the app, which voids a cached one, is in e2e/security/sessions.spec.ts).
    const user = await apiUser(request)
    await database().execute('DELETE FROM `user` WHERE id = ?', [user.id])
    await expectDetail(await request.get('/api/todos', { headers: user.headers }), 401, 'Not Authorized')
    await expectDetail(await request.post('/api/todos', { headers: user.headers, data: { contents: 'x' } }), 401)
  })

  test('the token’s sub is the user id', async ({ request }) => {
    const user = await apiUser(request)
    const claims = JSON.parse(Buffer.from(user.token.split('.')[1]!, 'base64url').toString())
    expect(claims.sub).toBe(String(user.id))
  })
})
