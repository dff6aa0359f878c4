import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { passwordReset, user } from '@/db/schema'
import { isLocale, isTheme, type Locale, type Theme } from '@/lib/i18n/preferences'
import type { LogInInput, SignUpInput } from '@/lib/validation/auth'
import { usernameKey } from '@/lib/validation/username-key'
import { hashPassword, verifyAgainstDummy, verifyPassword } from './auth/password'
import { userCache } from './cache'
import { db } from './db'
import { executor, readYourWrites, transaction, type Executor } from './db-scope'
import { dataFunction, driverErrorCode } from './db-errors'

/**
 * Who is calling: the only thing the data layer accepts as proof of identity. A viewer resolved
 * from a session also carries its time zone; data functions that need it read it otherwise.
 */
export type Viewer = { readonly id: number; readonly username: string; readonly timeZone?: string }

/** The viewer as a request resolves it, with the choices the pages render with (null: not chosen). */
export type SignedInViewer = Viewer & { readonly locale: Locale | null; readonly theme: Theme; readonly timeZone: string }

export type CreateUserResult = { ok: true; viewer: Viewer } | { ok: false; reason: 'username-taken' }

/**
 * Creates an account, in the language and theme it was made in when known. The unique index on
 * username_key decides whether the name is taken, and a race between two sign-ups of one name
 * (`MINJI` and `ｍｉｎｊｉ` are `minji`).
 */
export const createUser = dataFunction(async (
  input: Pick<SignUpInput, 'username' | 'password'> & {
    preferences?: { locale: Locale; theme: Theme }
    /** An IANA name, already canonicalised (TimeZoneSchema); UTC when not known. */
    timeZone?: string
  },
): Promise<CreateUserResult> => {
  const password = await hashPassword(input.password)
  try {
    const [created] = await db
      .insert(user)
      .values({
        username: input.username,
        usernameKey: usernameKey(input.username),
        password,
        ...input.preferences,
        ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      })
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
  // Read where every commit is visible (on Galera: after this node caught up): an account signed
  // up, or a password changed, through another instance a moment ago is found (CI saw a 401).
  const [found] = await readYourWrites(() =>
    executor()
      .select({ id: user.id, username: user.username, password: user.password, sessionVersion: user.sessionVersion })
      .from(user)
      .where(eq(user.usernameKey, usernameKey(input.username)))
      .limit(1),
  )
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

/** The pool or a transaction: what storePasswordHash writes with. */
type Writer = Pick<typeof db, 'update' | 'delete'>

/**
 * Every password write goes through here (a change on the account page, a reset by email): the
 * new argon2id hash, the session version bumped (every session and API token issued before
 * carries the old one, so all of them end: server/sessions.ts), and any pending reset link voided.
 * The caller voids the user's cached session checks once this is committed.
 */
export async function storePasswordHash(writer: Writer, userId: number, phc: string): Promise<void> {
  await writer
    .update(user)
    .set({ password: phc, sessionVersion: sql`${user.sessionVersion} + 1` })
    .where(eq(user.id, userId))
  await writer.delete(passwordReset).where(eq(passwordReset.userId, userId))
}

/**
 * Sets a new password and ends every session and API token issued before (they carry the old
 * version); a reset link asked for before stops working too.
 */
export const changePassword = dataFunction(async (viewer: Viewer, newPassword: string): Promise<void> => {
  const password = await hashPassword(newPassword)
  await transaction((tx) => storePasswordHash(tx, viewer.id, password))
  await userCache.invalidate(viewer.id)
})

/** Deletes the account; its todos and session records go with it (ON DELETE CASCADE). */
export const deleteAccount = dataFunction(async (viewer: Viewer): Promise<void> => {
  await db.delete(user).where(eq(user.id, viewer.id))
  await userCache.invalidate(viewer.id)
})

export type Account = {
  id: number
  username: string
  email: string | null
  emailVerifiedAt: Date | null
  timeZone: string
  locale: Locale | null
}

/** The account's details for its owner, or null when it no longer exists. */
export const findAccount = dataFunction(async (id: number): Promise<Account | null> => {
  const [found] = await db
    .select({
      id: user.id,
      username: user.username,
      email: user.email,
      emailVerifiedAt: user.emailVerifiedAt,
      timeZone: user.timeZone,
      locale: user.locale,
    })
    .from(user)
    .where(eq(user.id, id))
    .limit(1)
  if (!found) return null
  return { ...found, locale: isLocale(found.locale) ? found.locale : null }
})

/** The viewer's time zone as saved (UTC when it was never chosen). */
export const timeZoneOf = dataFunction((viewer: Viewer): Promise<string> => readTimeZone(db, viewer))

/**
 * timeZoneOf through `executor`: a write's transaction reads it on its own connection. A plain
 * read, never locking the user row (see updateTodo in todos.ts).
 */
export async function readTimeZone(executor: Executor, viewer: Viewer): Promise<string> {
  if (viewer.timeZone) return viewer.timeZone
  const [found] = await executor.select({ timeZone: user.timeZone }).from(user).where(eq(user.id, viewer.id)).limit(1)
  return found?.timeZone ?? 'UTC'
}

/**
 * Saves the viewer's time zone (an IANA name, canonicalised by TimeZoneSchema). Today and
 * Upcoming, the times shown and the next occurrence of a repeat follow it from the next request.
 */
export const setTimeZone = dataFunction(async (viewer: Viewer, zone: string): Promise<void> => {
  await db.update(user).set({ timeZone: zone }).where(eq(user.id, viewer.id))
  // The session record carries the zone, and cached Today/Upcoming pages were cut at its midnight.
  await userCache.invalidate(viewer.id)
})

/**
 * Saves a verified email on the viewer's account. False when another account already has it (the
 * unique index decides, so two accounts racing for one address cannot both win). A reset link
 * mailed to the previous address stops working: whoever reads that mailbox now may not be the owner.
 */
export const setVerifiedEmail = dataFunction(async (viewer: Viewer, email: string): Promise<boolean> => {
  try {
    await db.update(user).set({ email, emailVerifiedAt: new Date() }).where(eq(user.id, viewer.id))
  } catch (error) {
    if (driverErrorCode(error) === 'ER_DUP_ENTRY') return false
    throw error
  }
  await db.delete(passwordReset).where(eq(passwordReset.userId, viewer.id))
  await userCache.invalidate(viewer.id) // the cached list pages say whether reminders can be sent
  return true
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

/** The account's saved language and theme (null locale: never chosen); null when the account is gone. */
export const accountPreferences = dataFunction(
  async (userId: number): Promise<{ locale: Locale | null; theme: Theme } | null> => {
    const [found] = await db.select({ locale: user.locale, theme: user.theme }).from(user).where(eq(user.id, userId)).limit(1)
    if (!found) return null
    return { locale: isLocale(found.locale) ? found.locale : null, theme: isTheme(found.theme) ? found.theme : 'system' }
  },
)

/** The viewer's morning summary: the local hour (0-23) it goes out at, or null for none. */
export const setSummaryHour = dataFunction(async (viewer: Viewer, hour: number | null): Promise<void> => {
  if (hour !== null && !(Number.isInteger(hour) && hour >= 0 && hour <= 23)) throw new RangeError('hour must be 0-23 or null')
  await db.update(user).set({ summaryHour: hour }).where(eq(user.id, viewer.id))
})

/** The viewer's morning-summary hour (null: off) and time zone, for the account page. */
export const findSummarySettings = dataFunction(
  async (viewer: Viewer): Promise<{ hour: number | null; timeZone: string } | null> => {
    const [found] = await db
      .select({ hour: user.summaryHour, timeZone: user.timeZone })
      .from(user)
      .where(eq(user.id, viewer.id))
      .limit(1)
    return found ?? null
  },
)
