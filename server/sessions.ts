import 'server-only'
import { eq, lt, sql } from 'drizzle-orm'
import { sessionRevocation, user } from '@/db/schema'
import { userCache } from './cache'
import { db } from './db'
import { executor } from './db-scope'
import { dataFunction } from './db-errors'
import { isLocale, isTheme, type Locale, type Theme } from '@/lib/i18n/preferences'
import { canonicalTimeZone } from '@/lib/repeat'
import type { SignedInViewer, Viewer } from './users'

/** What a session cookie or an API token claims: whose it is, its version, and (cookies) its id. */
export type SessionClaims = { userId: number; sessionVersion: number; sessionId?: string }

/** What decides whether one session (or, without an id, an API token) of a user is still valid. */
type SessionRecord = {
  username: string
  sessionVersion: number
  revoked: boolean
  locale: Locale | null
  theme: Theme
  timeZone: string
}

/**
 * The viewer the claims prove, or null: the account must exist, the claims must carry its current
 * session version (a "log out everywhere" or a password change bumps it), and the session must not
 * have been logged out. One indexed query, cached per session in Redis under the user's version
 * (server/cache.ts), so that a warm request reads no database at all: every change to the record
 * (log-out, log out everywhere, password change, deletion) voids it before it answers.
 * See docs/decisions/0007-cached-session-checks.md.
 */
export const resolveSession = dataFunction(async (claims: SessionClaims): Promise<SignedInViewer | null> => {
  const view = claims.sessionId ? `session:${claims.sessionId}` : 'api-token'
  const record = await userCache.read(claims.userId, view, () => loadSessionRecord(claims))
  if (!record || record.sessionVersion !== claims.sessionVersion || record.revoked) return null
  // Records cached by an older build lack the later choices: read as not chosen.
  return {
    id: claims.userId,
    username: record.username,
    locale: record.locale ?? null,
    theme: record.theme ?? 'system',
    timeZone: record.timeZone ?? 'UTC',
  }
})

async function loadSessionRecord(claims: SessionClaims): Promise<SessionRecord | null> {
  const revoked = claims.sessionId
    ? sql<number>`exists(select 1 from ${sessionRevocation} where ${sessionRevocation.sessionId} = ${claims.sessionId})`
    : sql<number>`0`
  const [found] = await executor()
    .select({
      username: user.username,
      sessionVersion: user.sessionVersion,
      revoked,
      locale: user.locale,
      theme: user.theme,
      timeZone: user.timeZone,
    })
    .from(user)
    .where(eq(user.id, claims.userId))
    .limit(1)
  if (!found) return null
  return {
    username: found.username,
    sessionVersion: found.sessionVersion,
    revoked: Number(found.revoked) === 1,
    // Unknown values (written by hand, or by a newer version) read as "not chosen".
    locale: isLocale(found.locale) ? found.locale : null,
    theme: isTheme(found.theme) ? found.theme : 'system',
    // A zone this runtime no longer knows (ICU updates rename a few) reads as UTC, never as an error.
    timeZone: canonicalTimeZone(found.timeZone) ?? 'UTC',
  }
}

/** Ends one session (a log-out) until it would have expired anyway; also prunes expired records. */
export const revokeSession = dataFunction(async (viewer: Viewer, sessionId: string, expiresAt: Date): Promise<void> => {
  await db
    .insert(sessionRevocation)
    .values({ sessionId, userId: viewer.id, expiresAt })
    .onDuplicateKeyUpdate({ set: { expiresAt } })
  await userCache.invalidate(viewer.id)
  await db.delete(sessionRevocation).where(lt(sessionRevocation.expiresAt, new Date()))
})

/** Ends every session and API token of the viewer ("log out everywhere"). */
export const endAllSessions = dataFunction(async (viewer: Viewer): Promise<void> => {
  await db
    .update(user)
    .set({ sessionVersion: sql`${user.sessionVersion} + 1` })
    .where(eq(user.id, viewer.id))
  await userCache.invalidate(viewer.id)
})
