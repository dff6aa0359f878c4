import 'server-only'
import { eq, lt, sql } from 'drizzle-orm'
import { sessionRevocation, user } from '@/db/schema'
import { db } from './db'
import { dataFunction } from './db-errors'
import type { Viewer } from './users'

/** What a session cookie or an API token claims: whose it is, its version, and (cookies) its id. */
export type SessionClaims = { userId: number; sessionVersion: number; sessionId?: string }

/**
 * The viewer the claims prove, or null: the account must exist, the claims must carry its current
 * session version (a "log out everywhere" or a password change bumps it), and the session must not
 * have been logged out. One indexed query per request.
 */
export const resolveSession = dataFunction(async (claims: SessionClaims): Promise<Viewer | null> => {
  const revoked = claims.sessionId
    ? sql<number>`exists(select 1 from ${sessionRevocation} where ${sessionRevocation.sessionId} = ${claims.sessionId})`
    : sql<number>`0`
  const [found] = await db
    .select({ id: user.id, username: user.username, sessionVersion: user.sessionVersion, revoked })
    .from(user)
    .where(eq(user.id, claims.userId))
    .limit(1)
  if (!found || found.sessionVersion !== claims.sessionVersion || Number(found.revoked) === 1) return null
  return { id: found.id, username: found.username }
})

/** Ends one session (a log-out) until it would have expired anyway; also prunes expired records. */
export const revokeSession = dataFunction(async (viewer: Viewer, sessionId: string, expiresAt: Date): Promise<void> => {
  await db
    .insert(sessionRevocation)
    .values({ sessionId, userId: viewer.id, expiresAt })
    .onDuplicateKeyUpdate({ set: { expiresAt } })
  await db.delete(sessionRevocation).where(lt(sessionRevocation.expiresAt, new Date()))
})

/** Ends every session and API token of the viewer ("log out everywhere"). */
export const endAllSessions = dataFunction(async (viewer: Viewer): Promise<void> => {
  await db
    .update(user)
    .set({ sessionVersion: sql`${user.sessionVersion} + 1` })
    .where(eq(user.id, viewer.id))
})
