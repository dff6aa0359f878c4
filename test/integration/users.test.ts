import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '@/db/client'
import { user } from '@/db/schema'
import { db } from '@/server/db'
import { DatabaseUnavailableError, dataFunction } from '@/server/db-errors'
import { resolveSession, revokeSession, endAllSessions } from '@/server/sessions'
import {
  authenticate,
  changePassword,
  checkPassword,
  createUser,
  deleteAccount,
  savePreferences,
  type Viewer,
} from '@/server/users'
import { ApiSignUpSchema } from '@/lib/validation/api'
import { SignUpSchema, UsernameSchema } from '@/lib/validation/auth'
import { usernameKey } from '@/lib/validation/username-key'
import { TEST_PASSWORD, uniqueUsername } from '../support/users'

describe('createUser', () => {
  it('stores an argon2id hash, never the password', async () => {
    const username = uniqueUsername()
    const result = await createUser({ username, password: TEST_PASSWORD })
    expect(result.ok).toBe(true)
    const [row] = await db.select().from(user).where(eq(user.username, username))
    expect(row?.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(row?.password).not.toContain(TEST_PASSWORD)
  })

  it('treats usernames case-insensitively: Alice and alice cannot both exist', async () => {
    const username = uniqueUsername('Case')
    expect((await createUser({ username, password: TEST_PASSWORD })).ok).toBe(true)
    expect(await createUser({ username: username.toLowerCase(), password: TEST_PASSWORD })).toEqual({
      ok: false,
      reason: 'username-taken',
    })
  })

  it('lets exactly one of many concurrent sign-ups of one name through', async () => {
    const username = uniqueUsername('race')
    const results = await Promise.all(
      Array.from({ length: 8 }, () => createUser({ username, password: TEST_PASSWORD })),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok)).toHaveLength(7)
  })
})

describe('authenticate', () => {
  it('accepts the right password, in any letter case of the username', async () => {
    const username = uniqueUsername('Login')
    const created = await createUser({ username, password: TEST_PASSWORD })
    if (!created.ok) throw new Error('setup failed')
    expect(await authenticate({ username: username.toUpperCase(), password: TEST_PASSWORD })).toEqual({
      ...created.viewer,
      sessionVersion: 0,
    })
  })

  it('answers null for a wrong password and for an unknown user alike', async () => {
    const username = uniqueUsername()
    await createUser({ username, password: TEST_PASSWORD })
    expect(await authenticate({ username, password: 'wrong password' })).toBeNull()
    expect(await authenticate({ username: uniqueUsername('nobody'), password: TEST_PASSWORD })).toBeNull()
  })

})

describe('usernames in any script', () => {
  /** `count` random Hangul syllables: a Korean name no other test has. */
  const hangul = (count: number) =>
    Array.from({ length: count }, () => String.fromCodePoint(0xac00 + Math.floor(Math.random() * 11172))).join('')
  /** The full-width form of an ASCII letter-and-digit name (ｍｉｎｊｉ for minji). */
  const fullWidth = (ascii: string) => ascii.replace(/[0-9A-Za-z]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0))
  /** A name through the sign-up schema, as the page, the action and the API take it. */
  const signUp = (username: string) => {
    const input = SignUpSchema.parse({ username, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD })
    return createUser(input)
  }
  const asciiName = () => `minji${uniqueUsername('').slice(1).replace(/_/g, '')}`

  it('signs up and logs in a Korean username, stored as typed with its key', async () => {
    const name = `김${hangul(7)}`
    const created = await signUp(name)
    if (!created.ok) throw new Error('sign-up failed')
    expect(created.viewer.username).toBe(name)
    const [row] = await db.select({ username: user.username }).from(user).where(eq(user.id, created.viewer.id))
    expect(row?.username).toBe(name)
    const [[keyRow]] = (await db.execute(
      sql`SELECT CAST(username_key AS CHAR CHARACTER SET utf8mb4) AS k FROM user WHERE id = ${created.viewer.id}`,
    )) as unknown as [{ k: string }[]]
    expect(keyRow?.k).toBe(usernameKey(name))
    expect(await authenticate({ username: name, password: TEST_PASSWORD })).toEqual({ ...created.viewer, sessionVersion: 0 })
    expect(await authenticate({ username: name, password: 'wrong password' })).toBeNull()
  })

  it('stores the NFC form: a decomposed Hangul name logs in with the composed one, and the other way round', async () => {
    const composed = `민${hangul(6)}`
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)
    const created = await signUp(decomposed)
    if (!created.ok) throw new Error('sign-up failed')
    expect(created.viewer.username).toBe(composed)
    expect(await authenticate({ username: composed, password: TEST_PASSWORD })).not.toBeNull()
    expect(await authenticate({ username: decomposed, password: TEST_PASSWORD })).not.toBeNull()
  })

  it('full-width and upper-case forms collide with the name, and log into it', async () => {
    const name = asciiName()
    const created = await signUp(name)
    if (!created.ok) throw new Error('sign-up failed')
    for (const other of [fullWidth(name), name.toUpperCase(), fullWidth(name.toUpperCase())]) {
      expect(await signUp(other)).toEqual({ ok: false, reason: 'username-taken' })
      expect(await authenticate({ username: other, password: TEST_PASSWORD })).toEqual({
        ...created.viewer,
        sessionVersion: 0,
      })
    }
  })

  it('MINJI logs in as minji, and ß meets ss', async () => {
    const suffix = uniqueUsername('').slice(1)
    const created = await signUp(`minji${suffix}`)
    if (!created.ok) throw new Error('sign-up failed')
    expect(await authenticate({ username: `MINJI${suffix.toUpperCase()}`, password: TEST_PASSWORD })).toMatchObject({
      id: created.viewer.id,
      username: `minji${suffix}`,
    })
    const straße = await signUp(`straße${suffix}`)
    expect(straße.ok).toBe(true)
    expect(await signUp(`STRASSE${suffix}`)).toEqual({ ok: false, reason: 'username-taken' })
  })

  it('keeps apart names the database collation would confuse: accents, and characters outside the BMP', async () => {
    const suffix = uniqueUsername('').slice(1)
    expect((await signUp(`Jose${suffix}`)).ok).toBe(true)
    expect((await signUp(`José${suffix}`)).ok).toBe(true)
    const korean = hangul(6) // Han with Hangul: one writing system
    expect((await signUp(`𠀋𠀋𠀋${korean}`)).ok).toBe(true)
    expect((await signUp(`𠜎𠜎𠜎${korean}`)).ok).toBe(true)
  })

  it('refuses mixed-script look-alikes in the schema the page, the action and the API share', () => {
    const lookalike = `p\u0430ypal${uniqueUsername('').slice(1)}` // a Cyrillic а
    for (const schema of [UsernameSchema, ApiSignUpSchema.shape.username, SignUpSchema.shape.username]) {
      expect(schema.safeParse(lookalike).error?.issues.map((issue) => issue.message)).toEqual([
        'validation.username.mixedScripts',
      ])
    }
  })
})

describe('sessions', () => {
  const newViewer = async () => {
    const created = await createUser({ username: uniqueUsername('sess'), password: TEST_PASSWORD })
    if (!created.ok) throw new Error('setup failed')
    return created.viewer
  }
  const later = () => new Date(Date.now() + 60_000)
  /** The viewer as a session resolves it: with the account's choices, none made yet. */
  const signedIn = (viewer: Viewer) => ({ ...viewer, locale: null, theme: 'system', timeZone: 'UTC' })

  it('resolve while the account exists and the version matches', async () => {
    const viewer = await newViewer()
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0, sessionId: 'a' })).toEqual(signedIn(viewer))
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 1 })).toBeNull()
    await deleteAccount(viewer)
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0, sessionId: 'a' })).toBeNull() // was cached
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0 })).toBeNull()
  })

  it('a logged-out session ends; the others go on', async () => {
    const viewer = await newViewer()
    // Session ids are random and unique in the app; here, unique per run of the suite.
    const [phone, laptop] = [`phone-${viewer.id}`, `laptop-${viewer.id}`]
    // Both checked once first, so that each is cached: the log-out must void the cached record.
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0, sessionId: phone })).toEqual(signedIn(viewer))
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0, sessionId: laptop })).toEqual(signedIn(viewer))
    await revokeSession(viewer, phone, later())
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0, sessionId: phone })).toBeNull()
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0, sessionId: laptop })).toEqual(signedIn(viewer))
  })

  it('"log out everywhere" ends every session and token', async () => {
    const viewer = await newViewer()
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0, sessionId: 'laptop' })).toEqual(signedIn(viewer))
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0 })).toEqual(signedIn(viewer))
    await endAllSessions(viewer)
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0, sessionId: 'laptop' })).toBeNull()
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0 })).toBeNull()
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 1, sessionId: 'new' })).toEqual(signedIn(viewer))
  })

  it('a password change ends every earlier session, and only the new password works', async () => {
    const viewer = await newViewer()
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0 })).toEqual(signedIn(viewer))
    expect(await checkPassword(viewer, TEST_PASSWORD)).toBe(true)
    await changePassword(viewer, 'a brand new passphrase')
    expect(await resolveSession({ userId: viewer.id, sessionVersion: 0 })).toBeNull()
    expect(await checkPassword(viewer, TEST_PASSWORD)).toBe(false)
    expect(await authenticate({ username: viewer.username, password: 'a brand new passphrase' })).toEqual({
      ...viewer,
      sessionVersion: 1,
    })
  })

  it('a cached session is checked without the database, and is voided by the writes that change it', async () => {
    const viewer = await newViewer()
    const claims = { userId: viewer.id, sessionVersion: 0, sessionId: `desk-${viewer.id}` }
    expect(await resolveSession(claims)).toEqual(signedIn(viewer))
    await new Promise((resolve) => setTimeout(resolve, 50)) // readers do not wait for the cache's SET
    // Changed behind the cache's back (no app write does this): a second check that still sees the
    // old row can only have been answered from Redis.
    await db.update(user).set({ sessionVersion: 5 }).where(eq(user.id, viewer.id))
    expect(await resolveSession(claims)).toEqual(signedIn(viewer))
    // Any write that goes through the app voids the cached record, and the next check sees the row.
    await revokeSession(viewer, `other-${viewer.id}`, later())
    expect(await resolveSession(claims)).toBeNull()
    expect(await resolveSession({ ...claims, sessionVersion: 5 })).toEqual(signedIn(viewer))
  })
})

describe('an unreachable database', () => {
  it('surfaces as DatabaseUnavailableError, quickly', async () => {
    // A real pool pointed at a port where nothing listens: the driver's own failure, not a mock.
    const { db: nowhere, pool } = createDatabase('mysql://root@127.0.0.1:1/todo')
    const countUsers = dataFunction(async () => nowhere.select({ id: user.id }).from(user).limit(1))
    const started = Date.now()
    await expect(countUsers()).rejects.toBeInstanceOf(DatabaseUnavailableError)
    expect(Date.now() - started).toBeLessThan(5_000)
    await pool.end()
  })
})

describe('preferences', () => {
  it('start as the sign-up page was shown, and a saved change reaches a cached session at once', async () => {
    const created = await createUser({
      username: uniqueUsername('pref'),
      password: TEST_PASSWORD,
      preferences: { locale: 'ko', theme: 'dark' },
    })
    if (!created.ok) throw new Error('setup failed')
    const claims = { userId: created.viewer.id, sessionVersion: 0, sessionId: `pref-${created.viewer.id}` }
    expect(await resolveSession(claims)).toEqual({ ...created.viewer, locale: 'ko', theme: 'dark', timeZone: 'UTC' })

    await savePreferences(created.viewer, { locale: 'en' })
    expect(await resolveSession(claims)).toEqual({ ...created.viewer, locale: 'en', theme: 'dark', timeZone: 'UTC' })
    await savePreferences(created.viewer, { theme: 'system' })
    expect(await resolveSession(claims)).toEqual({ ...created.viewer, locale: 'en', theme: 'system', timeZone: 'UTC' })
  })

  it('an unknown value in the row reads as not chosen', async () => {
    const created = await createUser({ username: uniqueUsername('pref'), password: TEST_PASSWORD })
    if (!created.ok) throw new Error('setup failed')
    await db.update(user).set({ locale: 'xx', theme: 'neon' }).where(eq(user.id, created.viewer.id))
    expect(await resolveSession({ userId: created.viewer.id, sessionVersion: 0 })).toEqual({
      ...created.viewer,
      locale: null,
      theme: 'system',
      timeZone: 'UTC',
    })
  })
})
