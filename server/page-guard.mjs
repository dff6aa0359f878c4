// What every page request gets before Next.js sees it, done by server.mjs (it was proxy.ts: Next's
// proxy adapter alone cost about 1.3 ms of CPU on every page, a quarter of the smallest page; this
// costs a few microseconds). Three jobs:
//  0. Server actions from another site are refused with a plain 403 (Next.js refuses them too, but
//     with a 500 and an error in the log).
//  1. A Content-Security-Policy with a fresh nonce: no script runs unless Next.js rendered it with
//     that nonce (it reads the policy from the request's headers, set here).
//  2. A convenience, not a defence: visitors without any session cookie go straight to the log-in
//     page, and pages learn where the visitor was going (x-return-to). Every page, action and data
//     function still checks the session itself (server/auth/session.ts, decision 0002).
// Plain JavaScript, because server.mjs runs without a build step.
import { randomBytes } from 'node:crypto'

/**
 * The names of Auth.js's session cookie: `authjs.session-token`, `__Secure-` prefixed in production,
 * split into `.0`, `.1`… chunks when too long for one cookie.
 */
export const SESSION_COOKIE_NAME = /^(__Secure-)?authjs\.session-token(\.\d+)?$/

/** Pages a visitor without a session may see. */
export const PUBLIC_PATHS = new Set(['/login', '/signup', '/forgot-password', '/reset-password'])

/** Not pages: the JSON API answers 401 itself, and Next's own files and the static ones need no session. */
const NOT_PAGES = /^\/(api\/|_next\/|__nextjs|favicon\.ico$|icon\.svg$|robots\.txt$)/

/** Headers the guard sets on the request for the app: whatever the client sent under these names is dropped. */
export const GUARD_HEADERS = ['x-return-to', 'content-security-policy']

export function isPagePath(pathname) {
  return !NOT_PAGES.test(pathname)
}

export function contentSecurityPolicy(nonce, { development = false } = {}) {
  return [
    "default-src 'self'",
    // 'unsafe-eval' only in development, where React uses eval for its debugging stacks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    // Development's overlay and the dev mailbox's email previews use inline styles.
    `style-src 'self' ${development ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Whether a Cookie header holds any of the session cookie's names (its value is checked by the page). */
export function hasSessionCookie(cookieHeader) {
  if (!cookieHeader) return false
  for (const pair of String(cookieHeader).split(';')) {
    const equals = pair.indexOf('=')
    if (SESSION_COOKIE_NAME.test((equals === -1 ? pair : pair.slice(0, equals)).trim())) return true
  }
  return false
}

/**
 * A server action posted from a page of another origin (a cross-site request forgery). `headers`
 * are the request's after server.mjs dropped the forwarded ones it does not trust.
 */
export function isForeignServerAction(method, headers) {
  if (method !== 'POST' || headers['next-action'] === undefined) return false
  const origin = headers.origin
  if (!origin) return false // as Next.js: browsers send Origin with every cross-site POST
  const host = headers['x-forwarded-host'] ?? headers.host
  try {
    return new URL(origin).host !== host
  } catch {
    return true
  }
}

/** Where a visitor without a session goes: the log-in page, told where they were going unless it was the list. */
export function logInLocation(returnTo) {
  if (returnTo === '/' || returnTo === '/todos') return '/login'
  return `/login?${new URLSearchParams({ callbackUrl: returnTo })}`
}

/**
 * Guards one request: answers it (403, or a redirect to the log-in page) and returns true, or sets
 * the request's CSP (where Next.js finds the nonce) and return path and the response's CSP, and returns false for Next.js
 * to render it. Requests that are not for pages pass untouched, but for the headers it owns.
 */
export function guardPage(request, response, { development = false } = {}) {
  const headers = request.headers
  for (const name of GUARD_HEADERS) delete headers[name]
  const url = request.url ?? '/'
  const query = url.indexOf('?')
  const pathname = query === -1 ? url : url.slice(0, query)
  if (!isPagePath(pathname)) return false

  if (isForeignServerAction(request.method, headers)) {
    response.writeHead(403, { 'content-type': 'text/plain' })
    response.end('Cross-site request refused')
    return true
  }
  // `/login/` is `/login` to Next.js (it redirects there): public too.
  const page = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname
  if (!PUBLIC_PATHS.has(page) && !hasSessionCookie(headers.cookie)) {
    response.writeHead(307, { location: logInLocation(url) })
    response.end()
    return true
  }

  const nonce = randomBytes(16).toString('base64')
  const policy = contentSecurityPolicy(nonce, { development })
  headers['x-return-to'] = url
  headers['content-security-policy'] = policy
  response.setHeader('Content-Security-Policy', policy)
  return false
}
