import 'server-only'
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'
import { env } from '../env'
import type { SessionClaims } from '../sessions'
import type { AuthenticatedUser } from '../users'
import { createVerifiedCredentials, type Verified } from './verified-credentials'

/** One day, like the original service's tokens. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60

const ISSUER = 'todos'
const AUDIENCE = 'todos-api'
const ALGORITHM = 'HS256'

let key: KeyObject | undefined

/**
 * The API's signing key, derived from AUTH_SECRET with HKDF so that it differs from the key that
 * encrypts session cookies: one secret to manage, no key used for two purposes. A KeyObject, not
 * bytes: jose then signs and verifies with node:crypto directly instead of importing a WebCrypto
 * key on every call (a sixth of the CPU of a cached API read, measured by the benchmark).
 */
function signingKey(): KeyObject {
  if (key) return key
  if (!env.AUTH_SECRET) throw new Error('AUTH_SECRET is not set: it is needed to sign API tokens')
  key = createSecretKey(Buffer.from(hkdfSync('sha256', env.AUTH_SECRET, 'todos api', 'access token signing key v1', 32)))
  return key
}

/**
 * A bearer token for the JSON API: a JWT whose `sub` is the user id, valid for one day, carrying
 * the account's session version (`ver`) so that "log out everywhere" ends it too.
 */
export function issueAccessToken(user: AuthenticatedUser): Promise<string> {
  return new SignJWT({ ver: user.sessionVersion })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(String(user.id))
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_LIFETIME_SECONDS}s`)
    .sign(signingKey())
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i

const verifiedTokens = createVerifiedCredentials<SessionClaims>(10_000)

/**
 * What an `Authorization` header claims, or null. Strict: only `Bearer <JWT>`, only HS256
 * (`alg: none` and every other algorithm are refused), our issuer and audience, not expired.
 */
export async function claimsFromAuthorization(header: string): Promise<SessionClaims | null> {
  if (header.length > 4096) return null
  const token = BEARER.exec(header.trim())?.[1]
  if (!token) return null
  return verifiedTokens.claims(token, verifyAccessToken)
}

async function verifyAccessToken(token: string): Promise<Verified<SessionClaims> | null> {
  try {
    const { payload } = await jwtVerify(token, signingKey(), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat', 'ver'],
    })
    const id = Number(payload.sub)
    const version = payload.ver
    if (!Number.isSafeInteger(id) || id <= 0 || String(id) !== payload.sub) return null
    if (typeof version !== 'number' || !Number.isSafeInteger(version)) return null
    return { claims: { userId: id, sessionVersion: version }, expiresAt: payload.exp! * 1000 }
  } catch {
    return null
  }
}
