import 'server-only'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { cache } from 'react'
import { safeReturnPath } from '@/lib/safe-redirect'
import { resolveSession, type SessionClaims } from '../sessions'
import type { Viewer } from '../users'
import { claimsFromAuthorization } from './api-token'
import { auth } from './config'

/**
 * Who is calling, or null: the one resolver for pages, server actions and the JSON API.
 * A request with an `Authorization` header is judged by it alone (a bad token is no identity, even
 * beside a valid cookie); otherwise by the Auth.js session cookie. Either way the account must
 * still exist, the session must carry its current version, and must not have been logged out.
 * Runs once per request however many callers ask (React `cache`).
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const authorization = (await headers()).get('authorization')
  const claims = authorization !== null ? await claimsFromAuthorization(authorization) : await currentSession()
  return claims ? resolveSession(claims) : null
})

/** The claims of this request's session cookie, with when it expires; null without a valid cookie. */
export const currentSession = cache(async (): Promise<(SessionClaims & { expires: Date }) | null> => {
  const session = await auth()
  const userId = Number(session?.user?.id)
  if (!session || !Number.isSafeInteger(userId) || userId <= 0) return null
  if (typeof session.sessionVersion !== 'number' || typeof session.sessionId !== 'string') return null
  return {
    userId,
    sessionVersion: session.sessionVersion,
    sessionId: session.sessionId,
    expires: new Date(session.expires),
  }
})

/**
 * The viewer, or a redirect to the log-in page that comes back here afterwards. Every page and
 * server action starts with this: the proxy's cookie check is only a shortcut.
 */
export async function requireUser(): Promise<Viewer> {
  const viewer = await getViewer()
  if (viewer) return viewer
  const returnTo = safeReturnPath((await headers()).get('x-return-to'))
  redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`)
}
