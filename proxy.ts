import { NextResponse, type NextRequest } from 'next/server'
import { SESSION_COOKIE_NAME } from '@/lib/session-cookie'

// Runs before every page. Three jobs:
//  0. Server actions from another site are refused with a plain 403 (Next.js refuses them too, but
//     with a 500 and an error in the log).
//  1. A Content-Security-Policy with a fresh nonce: no script runs unless Next.js rendered it with
//     that nonce (it reads the policy from the request headers set here).
//  2. A convenience, not a defence: visitors without any session cookie go straight to the log-in
//     page, and pages learn where the visitor was going. Every page, action and data function still
//     checks the session itself (server/auth/session.ts).

const PUBLIC_PATHS = new Set(['/login', '/signup', '/forgot-password', '/reset-password'])
const isDevelopment = process.env.NODE_ENV === 'development'

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // 'unsafe-eval' only in development, where React uses eval for its debugging stacks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ''}`,
    // Development's overlay and the dev mailbox's email previews use inline styles.
    `style-src 'self' ${isDevelopment ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** A server action posted from a page of another origin (a cross-site request forgery). */
function isForeignServerAction(request: NextRequest): boolean {
  if (request.method !== 'POST' || !request.headers.has('next-action')) return false
  const origin = request.headers.get('origin')
  if (!origin) return false // as Next.js: browsers send Origin with every cross-site POST
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host')
  try {
    return new URL(origin).host !== host
  } catch {
    return true
  }
}

export function proxy(request: NextRequest) {
  if (isForeignServerAction(request)) {
    return new NextResponse('Cross-site request refused', { status: 403, headers: { 'content-type': 'text/plain' } })
  }
  const { pathname, search } = request.nextUrl
  const returnTo = pathname + search
  const hasSession = request.cookies.getAll().some((cookie) => SESSION_COOKIE_NAME.test(cookie.name))

  if (!hasSession && !PUBLIC_PATHS.has(pathname)) {
    const login = new URL('/login', request.url)
    if (returnTo !== '/' && returnTo !== '/todos') login.searchParams.set('callbackUrl', returnTo)
    return NextResponse.redirect(login)
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString('base64')
  const policy = contentSecurityPolicy(nonce)
  // Overwrite whatever the client sent: these headers are ours.
  const headers = new Headers(request.headers)
  headers.set('x-return-to', returnTo)
  headers.set('x-nonce', nonce)
  headers.set('content-security-policy', policy)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set('Content-Security-Policy', policy)
  return response
}

export const config = {
  // Pages only: the JSON API answers 401 itself, and static files need no session.
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)'],
}
