import { NextResponse, type NextRequest } from 'next/server'

// A convenience, not a defence: it saves a round trip by sending visitors without any session
// cookie straight to the log-in page, and tells the pages where the visitor was going. Every
// page, action and data function still checks the session itself (server/auth/session.ts).

const PUBLIC_PATHS = new Set(['/login', '/signup'])
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl
  const returnTo = pathname + search
  const hasSession = request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name))

  if (!hasSession && !PUBLIC_PATHS.has(pathname)) {
    const login = new URL('/login', request.url)
    if (returnTo !== '/' && returnTo !== '/todos') login.searchParams.set('callbackUrl', returnTo)
    return NextResponse.redirect(login)
  }

  // Overwrite whatever the client sent: this header is ours.
  const headers = new Headers(request.headers)
  headers.set('x-return-to', returnTo)
  return NextResponse.next({ request: { headers } })
}

export const config = {
  // Pages only: the JSON API answers 401 itself, and static files need no session.
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)'],
}
