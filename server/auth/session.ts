import 'server-only'
import { getToken } from 'next-auth/jwt'
import { cookies, headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { cache } from 'react'
import { safeReturnPath } from '@/lib/safe-redirect'
import { SESSION_COOKIE_NAME } from '@/server/page-guard.mjs'
import { resolveSession, type SessionClaims } from '../sessions'
import type { SignedInViewer } from '../users'
import { env } from '../env'
import { claimsFromAuthorization } from './api-token'
import { SESSION_COOKIE_SECURE } from './config'
import { createVerifiedCredentials, type Verified } from './verified-credentials'

type CookieSession = SessionClaims & { expires: Date }

const verifiedCookies = createVerifiedCredentials<CookieSession>(10_000)

/**
 * Who is calling, or null: the one resolver for pages, server actions and the JSON API.
 * A request with an `Authorization` header is judged by it alone (a bad token is no identity, even
 * beside a valid cookie); otherwise by the Auth.js session cookie. Either way the account must
 * still exist, the session must carry its current version, and must not have been logged out.
 * Runs once per request however many callers ask (React `cache`).
 */
export const getViewer = cache(async (): Promise<SignedInViewer | null> => {
  const claims = await callerClaims()
  return claims ? resolveSession(claims) : null
})

/**
 * What this request's credentials claim (the `Authorization` header, else the session cookie),
 * checked for signature and expiry but not yet against the account: for a long-lived response
 * (the live stream) that must ask `resolveSession` again later.
 */
export const callerClaims = cache(async (): Promise<(SessionClaims & { expires?: Date }) | null> => {
  const authorization = (await headers()).get('authorization')
  return authorization !== null ? claimsFromAuthorization(authorization) : currentSession()
})

/**
 * The claims of this request's session cookie, with when it expires; null without a valid cookie.
 * Decrypts the cookie as Auth.js wrote it (chunks, expiry and all) but, unlike `auth()`, does not
 * encrypt it again for a fresh cookie that a server component could not set anyway: that saved
 * about 2 ms of CPU on every page (bench/README.md). A cookie this process has decrypted before is
 * not decrypted again until it expires (verified-credentials.ts). Only the session cookie is read:
 * an `Authorization` header is the API's business (`getViewer`), never a session.
 */
export const currentSession = cache(async (): Promise<CookieSession | null> => sessionOf((await cookies()).getAll()))

/**
 * What a request's own headers claim, by callerClaims' rules, read without Next's request scope:
 * for the live stream, which server.mjs serves itself (server/live/serve.ts).
 */
export async function claimsFromHeaders(
  authorization: string | null,
  cookieHeader: string | null,
): Promise<(SessionClaims & { expires?: Date }) | null> {
  if (authorization !== null) return claimsFromAuthorization(authorization)
  const pairs = (cookieHeader ?? '').split(';').map((pair) => {
    const at = pair.indexOf('=')
    return { name: pair.slice(0, Math.max(at, 0)).trim(), value: pair.slice(at + 1).trim() }
  })
  return sessionOf(pairs)
}

/** The session the Auth.js cookies among `all` carry (a session may span chunks), or null. */
async function sessionOf(all: { name: string; value: string }[]): Promise<CookieSession | null> {
  const sessionCookies = all.filter((cookie) => SESSION_COOKIE_NAME.test(cookie.name)).map((cookie) => `${cookie.name}=${cookie.value}`)
  if (sessionCookies.length === 0) return null
  return verifiedCookies.claims(sessionCookies.sort().join('; '), decodeSessionCookie)
}

async function decodeSessionCookie(cookie: string): Promise<Verified<CookieSession> | null> {
  const token = await getToken({ req: { headers: { cookie } }, secret: env.AUTH_SECRET, secureCookie: SESSION_COOKIE_SECURE })
  const userId = Number(token?.sub)
  if (!token || !Number.isSafeInteger(userId) || userId <= 0) return null
  if (typeof token.ver !== 'number' || typeof token.sid !== 'string' || typeof token.exp !== 'number') return null
  const expires = new Date(token.exp * 1000)
  return { claims: { userId, sessionVersion: token.ver, sessionId: token.sid, expires }, expiresAt: expires.getTime() }
}

/**
 * The viewer, or a redirect to the log-in page that comes back here afterwards. Every page and
 * server action starts with this: server.mjs's cookie check (server/page-guard.mjs) is
 * only a shortcut.
 */
export async function requireUser(): Promise<SignedInViewer> {
  const viewer = await getViewer()
  if (viewer) return viewer
  const returnTo = safeReturnPath((await headers()).get('x-return-to'))
  redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`)
}
