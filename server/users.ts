import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { user } from '@/db/schema'
import type { Locale, Theme } from '@/lib/i18n/preferences'
import type { LogInInput, SignUpInput } from '@/lib/validation/auth'
import { usernameKey } from '@/lib/validation/username-key'
import { hashPassword, verifyAgainstDummy, verifyPassword } from './auth/password'
import { userCache } from './cache'
import { db } from './db'
import { dataFunction, driverErrorCode } from './db-errors'

/** Who is calling: the only thing the data layer accepts as proof of identity. */
export type Viewer = { readonly id: number; readonly username: string }

/** The viewer as a request resolves it, with the choices the pages render with (null: not chosen). */
export type SignedInViewer = Viewer & {
  readonly locale: Locale | null
  readonly theme: Theme
  readonly timeZone: string // stand-in until D lands
}

export type CreateUserResult = { ok: true; viewer: Viewer } | { ok: false; reason: 'username-taken' }

/**
 * Creates an account, in the language and theme it was made in when known. The unique index on
 * username_key decides whether the name is taken, and a race between two sign-ups of one name
 * (`MINJI` and `ｍｉｎｊｉ` are `minji`).
 */
export const createUser = dataFunction(async (
  input: Pick<SignUpInput, 'username' | 'password'> & { preferences?: { locale: Locale; theme: Theme } },
): Promise<CreateUserResult> => {
  const password = await hashPassword(input.password)
  try {
    const [created] = await db
      .insert(user)
      .values({ username: input.username, usernameKey: usernameKey(input.username), password, ...input.preferences })
      .$returningId()
    if (!created) throw new Error('INSERT into user returned no id')
    return { ok: true, viewer: { id: created.id, username: input.username } }
  } catch (error) {
    if (driverErrorCode(error) === 'ER_DUP_ENTRY') return { ok: false, reason: 'username-taken' }
    throw error
  }
})

/** A viewer who just proved their password, with the session version new sessions must carry. */
export type AuthenticatedUser = Viewer & { readonly sessionVersion: number }

/**
 * The user for a username (compared by its key, so `MINJI` logs into `minji`) and password, or
 * null. Unknown users cost the same time as wrong passwords.
 */
export const authenticate = dataFunction(async (input: LogInInput): Promise<AuthenticatedUser | null> => {
  const [found] = await db
    .select({ id: user.id, username: user.username, password: user.password, sessionVersion: user.sessionVersion })
    .from(user)
    .where(eq(user.usernameKey, usernameKey(input.username)))
    .limit(1)
  if (!found) return verifyAgainstDummy(input.password).then(() => null)
  const valid = await verifyPassword(found.password, input.password)
  return valid ? { id: found.id, username: found.username, sessionVersion: found.sessionVersion } : null
})

/** Whether `password` is the viewer's current password (for changing it, or deleting the account). */
export const checkPassword = dataFunction(async (viewer: Viewer, password: string): Promise<boolean> => {
  const [found] = await db.select({ password: user.password }).from(user).where(eq(user.id, viewer.id)).limit(1)
  if (!found) return verifyAgainstDummy(password)
  return verifyPassword(found.password, password)
})

/** Sets a new password and ends every session and API token issued before (they carry the old version). */
export const changePassword = dataFunction(async (viewer: Viewer, newPassword: string): Promise<void> => {
  const password = await hashPassword(newPassword)
  await db
    .update(user)
    .set({ password, sessionVersion: sql`${user.sessionVersion} + 1` })
    .where(eq(user.id, viewer.id))
  await userCache.invalidate(viewer.id)
})

/** Deletes the account; its todos and session records go with it (ON DELETE CASCADE). */
export const deleteAccount = dataFunction(async (viewer: Viewer): Promise<void> => {
  await db.delete(user).where(eq(user.id, viewer.id))
  await userCache.invalidate(viewer.id)
})

export type Account = { id: number; username: string; email: string | null; emailVerifiedAt: Date | null }

/** The account's details for its owner, or null when it no longer exists. */
export const findAccount = dataFunction(async (id: number): Promise<Account | null> => {
  const [found] = await db
    .select({ id: user.id, username: user.username, email: user.email, emailVerifiedAt: user.emailVerifiedAt })
    .from(user)
    .where(eq(user.id, id))
    .limit(1)
  return found ?? null
})

/**
 * Saves a verified email on the viewer's account. False when another account already has it (the
 * unique index decides, so two accounts racing for one address cannot both win).
 */
export const setVerifiedEmail = dataFunction(async (viewer: Viewer, email: string): Promise<boolean> => {
  try {
    await db.update(user).set({ email, emailVerifiedAt: new Date() }).where(eq(user.id, viewer.id))
    return true
  } catch (error) {
    if (driverErrorCode(error) === 'ER_DUP_ENTRY') return false
    throw error
  }
})

/** Saves the viewer's language or theme on their account. */
export const savePreferences = dataFunction(
  async (viewer: Viewer, choice: Partial<{ locale: Locale; theme: Theme }>): Promise<void> => {
    if (!choice.locale && !choice.theme) return
    await db.update(user).set(choice).where(eq(user.id, viewer.id))
    // The session record carries the choices (server/sessions.ts): void it so the next page uses them.
    await userCache.invalidate(viewer.id)
  },
)

/** Saves the IANA zone the viewer types and reads times in. */
export const setTimeZone = dataFunction(async (viewer: Viewer, zone: string): Promise<void> => {
  // stand-in until D lands
  await db.update(user).set({ timeZone: zone }).where(eq(user.id, viewer.id))
  await userCache.invalidate(viewer.id)
})
