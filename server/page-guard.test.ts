import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentSecurityPolicy, guardPage, hasSessionCookie, isPagePath, logInLocation } from './page-guard.mjs'

// The guard on a real node:http server, as server.mjs runs it: what reached the "app" is echoed back.
let server: Server
let port: number
beforeAll(async () => {
  server = createServer((request, response) => {
    if (guardPage(request, response)) return
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify(request.headers))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

type Answer = { status: number; headers: IncomingHttpHeaders; seen: Record<string, string> | null }
/** One raw request (node:http, so that the path is sent exactly as written). */
function send(path: string, { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, seen: response.statusCode === 200 ? JSON.parse(body) : null }),
      )
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

const SESSION = { cookie: 'theme=dark; __Secure-authjs.session-token=opaque' }

describe('the page guard', () => {
  it('sends a visitor without a session cookie to the log-in page, with where they were going', async () => {
    const answer = await send('/todos?filter=completed')
    expect(answer.status).toBe(307)
    expect(answer.headers.location).toBe('/login?callbackUrl=%2Ftodos%3Ffilter%3Dcompleted')
    expect((await send('/todos')).headers.location).toBe('/login')
    expect((await send('/')).headers.location).toBe('/login')
    expect((await send('/account', { headers: { cookie: 'authjs.session-tokens=x; other=authjs.session-token' } })).status).toBe(307)
  })

  it('lets the public pages, the API and static files through without a session', async () => {
    for (const path of ['/login', '/login/', '/signup?callbackUrl=%2Faccount', '/forgot-password', '/reset-password?token=t', '/api/todos', '/_next/static/x.js', '/robots.txt', '/icon.svg']) {
      expect((await send(path)).status, path).toBe(200)
    }
  })

  it('gives each page a fresh nonce in the request policy Next.js reads and in the response', async () => {
    const first = await send('/todos?x=1', { headers: SESSION })
    const second = await send('/todos', { headers: SESSION })
    expect(first.status).toBe(200)
    const policy = first.headers['content-security-policy'] as string
    expect(first.seen!['content-security-policy']).toBe(policy)
    expect(first.seen!['x-return-to']).toBe('/todos?x=1')
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(policy).toBe(contentSecurityPolicy(nonce!))
    expect(second.headers['content-security-policy']).not.toBe(policy)
  })

  it('drops the headers it owns when a client sends them, on pages and elsewhere', async () => {
    const forged = { ...SESSION, 'x-return-to': 'https://evil.example/', 'content-security-policy': "script-src 'nonce-abc'" }
    const onPage = await send('/todos', { headers: forged })
    expect(onPage.seen!['x-return-to']).toBe('/todos')
    expect(onPage.seen!['content-security-policy']).not.toContain('abc')
    const onApi = await send('/api/todos', { headers: forged })
    expect(onApi.seen!['x-return-to']).toBeUndefined()
    expect(onApi.seen!['content-security-policy']).toBeUndefined()
  })

  it('refuses a server action posted from another origin, and lets a same-origin one through', async () => {
    const action = { ...SESSION, 'next-action': 'abc123' }
    const foreign = await send('/todos', { method: 'POST', headers: { ...action, origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    expect(foreign.headers['content-type']).toBe('text/plain')
    expect((await send('/todos', { method: 'POST', headers: { ...action, origin: 'not a url' } })).status).toBe(403)
    expect((await send('/todos', { method: 'POST', headers: { ...action, origin: `http://127.0.0.1:${port}` } })).status).toBe(200)
    // Without Origin (no browser sends a cross-site POST without it), as Next.js decides.
    expect((await send('/todos', { method: 'POST', headers: action })).status).toBe(200)
    // A plain form post (no action id) is not the guard's business.
    expect((await send('/todos', { method: 'POST', headers: { ...SESSION, origin: 'https://evil.example' } })).status).toBe(200)
  })
})

describe('its parts', () => {
  it('knows the session cookie by any of its names, and nothing else', () => {
    expect(hasSessionCookie('authjs.session-token=a')).toBe(true)
    expect(hasSessionCookie('a=b;  authjs.session-token.1=c')).toBe(true)
    expect(hasSessionCookie('__Secure-authjs.session-token.0=c')).toBe(true)
    expect(hasSessionCookie('__Host-authjs.session-token=c; authjs.csrf-token=d')).toBe(false)
    expect(hasSessionCookie('')).toBe(false)
    expect(hasSessionCookie(undefined)).toBe(false)
  })

  it('tells pages from what is not one', () => {
    expect(isPagePath('/todos')).toBe(true)
    expect(isPagePath('/apidocs')).toBe(true)
    expect(isPagePath('/api-docs')).toBe(true)
    expect(isPagePath('/favicon.ico.html')).toBe(true)
    expect(isPagePath('/api/health')).toBe(false)
    expect(isPagePath('/_next/image')).toBe(false)
  })

  it('does not send the list back to itself', () => {
    expect(logInLocation('/todos')).toBe('/login')
    expect(logInLocation('/api-docs')).toBe('/login?callbackUrl=%2Fapi-docs')
  })

  it('allows eval and inline styles in development only', () => {
    expect(contentSecurityPolicy('n')).not.toContain('unsafe')
    expect(contentSecurityPolicy('n', { development: true })).toContain("'unsafe-eval'")
    expect(contentSecurityPolicy('n', { development: true })).toContain("style-src 'self' 'unsafe-inline'")
  })
})
