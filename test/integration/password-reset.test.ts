import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { Queue } from 'bullmq'
import { eq, inArray, sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// This file's own configuration, set before the app's modules read the environment: a Redis
// namespace of its own (its queue, "sent" markers and rate-limit windows, so runs never see each
// other's), and a short link lifetime, so that a test can watch a link expire.
const FILE_PREFIX = vi.hoisted(() => {
  const prefix = `test-reset-file-${Math.random().toString(16).slice(2, 12)}`
  process.env.REDIS_PREFIX = prefix
  process.env.PASSWORD_RESET_TTL_SECONDS = '4'
  return prefix
})
const TTL_SECONDS = 4

import { passwordReset, user } from '@/db/schema'
import { db } from '@/server/db'
import { defaultQueuePrefix, EMAIL_QUEUE } from '@/server/jobs/email-queue'
import { startEmailWorker, type EmailWorker } from '@/server/jobs/email-worker'
import { onLogLine } from '@/server/logging.mjs'
import {
  findPasswordReset,
  issuePasswordReset,
  requestPasswordReset,
  RESET_LIMITS,
  resetPassword,
} from '@/server/password-reset'
import { resolveSession } from '@/server/sessions'
import { authenticate, changePassword, deleteAccount, setVerifiedEmail, type Viewer } from '@/server/users'
import { createTestViewer, TEST_PASSWORD } from '../support/users'
import { sleep, waitFor } from '../support/wait'

// Password reset against the real MariaDB and Redis, with the real email worker and an SMTP
// listener on a loopback port: the request, the token in the database, the link in the email,
// expiry, single use, supersession, voiding, limits, sessions, and what reaches the logs.

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const APP_URL = 'http://todos.test'
const NEW_PASSWORD = 'a brand new kettle'
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

type Delivered = { to: string; subject: string; text: string; html: string }
const delivered: Delivered[] = []
let smtp: SMTPServer
let worker: EmailWorker
let inspect: Queue
const admin = new Redis(REDIS_URL)
const logged: string[] = []
const createdUsers: number[] = []

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = mail.to && !Array.isArray(mail.to) ? mail.to.text : ''
          delivered.push({ to, subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' })
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const { port } = smtp.server.address() as AddressInfo
  // Every log line of the worker, to prove that no token and no address reaches one.
  onLogLine((line) => void logged.push(line))
  // The app's own queue (this file's prefix): requestPasswordReset enqueues there, as the pages do.
  worker = startEmailWorker({ redisUrl: REDIS_URL, smtpUrl: `smtp://127.0.0.1:${port}`, appUrl: APP_URL, backoffDelayMs: 100 })
  inspect = new Queue(EMAIL_QUEUE, { connection: new Redis(REDIS_URL), prefix: defaultQueuePrefix() })
})

afterAll(async () => {
  await worker?.close()
  await inspect?.obliterate({ force: true }).catch(() => {})
  await inspect?.close()
  await new Promise<void>((resolve) => smtp?.close(() => resolve()))
  if (createdUsers.length > 0) await db.delete(user).where(inArray(user.id, createdUsers))
  const keys = await admin.keys(`${FILE_PREFIX}:*`)
  if (keys.length > 0) await admin.del(...keys)
  admin.disconnect()
  vi.restoreAllMocks()
})

const uniqueEmail = (label = 'reset') => `${label}-${randomBytes(5).toString('hex')}@example.test`
const uniqueAddress = () => `10.${randomBytes(3).join('.')}`

/** A fresh account with a verified address (and, when asked, its saved language). */
async function verifiedAccount(locale?: 'en' | 'ko'): Promise<Viewer & { email: string }> {
  const viewer = await createTestViewer('reset')
  createdUsers.push(viewer.id)
  const email = uniqueEmail()
  expect(await setVerifiedEmail(viewer, email)).toBe(true)
  if (locale) await db.update(user).set({ locale }).where(eq(user.id, viewer.id))
  return { ...viewer, email }
}

async function sessionVersion(id: number): Promise<number> {
  const [row] = await db.select({ version: user.sessionVersion }).from(user).where(eq(user.id, id))
  return row!.version
}

async function resetRows(userId: number) {
  return db.select().from(passwordReset).where(eq(passwordReset.userId, userId))
}

/** Until the worker has finished every job queued so far (sent, or found nothing to send). */
async function queueDrained() {
  await waitFor('the email queue to drain', async () => {
    const counts = await inspect.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children')
    return Object.values(counts).every((count) => count === 0)
  })
}

const mailTo = (to: string) => delivered.filter((mail) => mail.to === to)

function linkIn(mail: Delivered | undefined): { link: string; token: string } {
  const match = /(http:\/\/todos\.test\/reset-password\?token=([A-Za-z0-9_-]+))/.exec(mail?.text ?? '')
  if (!match) throw new Error(`no link in: ${mail?.text}`)
  return { link: match[1]!, token: match[2]! }
}

describe('asking for a reset link', () => {
  it('mails a verified address a link with a 256-bit token, stored only as its SHA-256', async () => {
    const account = await verifiedAccount()
    expect(await requestPasswordReset({ email: account.email, locale: 'en', address: uniqueAddress() })).toBe('queued')
    await waitFor('the reset email', () => mailTo(account.email).length === 1)

    const [mail] = mailTo(account.email)
    expect(mail?.subject).toBe('Reset your Todos password')
    const { link, token } = linkIn(mail)
    expect(link).toBe(`${APP_URL}/reset-password?token=${token}`)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32) // 256 random bits
    expect(mail?.text).toContain(`Your username is ${account.username}.`)
    expect(mail?.text).toContain("for 1 minute;") // 4 s, said in whole minutes
    expect(mail?.subject).not.toContain(token)

    const [row] = await resetRows(account.id)
    expect(row?.tokenHash).toBe(sha256(token))
    expect(JSON.stringify(row)).not.toContain(token)
    expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(TTL_SECONDS * 1000)
    expect(await findPasswordReset(token)).toEqual({ id: account.id, username: account.username })

    // Nothing about the token, the address or the username in the queue's job or in a log line.
    await queueDrained()
    const jobs = await inspect.getJobs(['completed'])
    expect(JSON.stringify(jobs.map((job) => [job.id, job.name, job.data]))).not.toContain(token)
    expect(jobs.every((job) => !job.id?.includes(account.email))).toBe(true)
    const logs = logged.join('\n')
    expect(logs).toMatch(/"component":"email".*"msg":"job password-reset\.password-reset%3A[0-9a-f]{16} \(password-reset\) attempt \d\/6: sent"/)
    for (const secret of [token, sha256(token), account.email, account.username]) expect(logs).not.toContain(secret)
  })

  it('writes the email in the language the account saved, else the one the page was in', async () => {
    const korean = await verifiedAccount('ko')
    const unset = await verifiedAccount()
    await requestPasswordReset({ email: korean.email, locale: 'en', address: uniqueAddress() })
    await requestPasswordReset({ email: unset.email, locale: 'ko', address: uniqueAddress() })
    await waitFor('both emails', () => mailTo(korean.email).length === 1 && mailTo(unset.email).length === 1)
    expect(mailTo(korean.email)[0]?.subject).toBe('Todos 비밀번호 재설정')
    expect(mailTo(korean.email)[0]?.html).toContain('<html lang="ko">')
    expect(mailTo(unset.email)[0]?.subject).toBe('Todos 비밀번호 재설정')
  })

  it('sends nothing for an unknown address or an unverified one, and answers them alike', async () => {
    const unknown = uniqueEmail('nobody')
    const unverified = await createTestViewer('unverified')
    createdUsers.push(unverified.id)
    const unverifiedEmail = uniqueEmail('unverified')
    // An address on the account without a verification (not a state the app makes, but the rule holds).
    await db.update(user).set({ email: unverifiedEmail, emailVerifiedAt: null }).where(eq(user.id, unverified.id))
    const control = await verifiedAccount()

    const answers = await Promise.all(
      [unknown, unverifiedEmail, control.email].map((email) => requestPasswordReset({ email, locale: 'en', address: uniqueAddress() })),
    )
    expect(answers).toEqual(['queued', 'queued', 'queued'])
    await waitFor('the control email', () => mailTo(control.email).length === 1)
    await queueDrained()
    expect(mailTo(unknown)).toEqual([])
    expect(mailTo(unverifiedEmail)).toEqual([])
    expect(await resetRows(unverified.id)).toEqual([])
    expect(await issuePasswordReset(unverifiedEmail)).toBeNull()
  })

  it('costs the same for a known and an unknown address (the lookup happens in the worker)', async () => {
    const accounts = await Promise.all(Array.from({ length: 15 }, () => verifiedAccount()))
    const known: number[] = []
    const unknown: number[] = []
    const time = async (email: string) => {
      const started = process.hrtime.bigint()
      expect(await requestPasswordReset({ email, locale: 'en', address: uniqueAddress() })).toBe('queued')
      return Number(process.hrtime.bigint() - started) / 1e6
    }
    // Interleaved, the order swapped every pair: neither kind always follows the other's worker job.
    for (const [i, account] of accounts.entries()) {
      if (i % 2 === 0) {
        known.push(await time(account.email))
        unknown.push(await time(uniqueEmail('nobody')))
      } else {
        unknown.push(await time(uniqueEmail('nobody')))
        known.push(await time(account.email))
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const [knownMedian, unknownMedian] = [median(known), median(unknown)]
    process.stdout.write(`[timing] requestPasswordReset median: known ${knownMedian.toFixed(2)} ms, unknown ${unknownMedian.toFixed(2)} ms\n`)
    // The same three round trips to Redis either way. The band is wide enough for a loaded machine
    // (other work shifts either median by a few ms) and narrow enough to catch what enumeration
    // needs: a database lookup or a password hash on one path only costs tens of milliseconds.
    expect(Math.abs(knownMedian - unknownMedian)).toBeLessThan(Math.max(5, 0.5 * Math.min(knownMedian, unknownMedian)))
    await queueDrained()
  })
})

describe('resetting the password with the token', () => {
  it('changes the password, ends every session and API token, uses the token up, and sends a notice', async () => {
    const account = await verifiedAccount()
    const issued = await issuePasswordReset(account.email)
    const version = await sessionVersion(account.id)
    const cookieSession = { userId: account.id, sessionVersion: version, sessionId: randomBytes(16).toString('base64url') }
    const apiToken = { userId: account.id, sessionVersion: version }
    expect(await resolveSession(cookieSession)).not.toBeNull() // cached now: the reset must void it
    expect(await resolveSession(apiToken)).not.toBeNull()

    expect(await resetPassword(issued!.token, NEW_PASSWORD, 'en')).toEqual({
      ok: true,
      account: { id: account.id, username: account.username },
    })
    expect(await authenticate({ username: account.username, password: TEST_PASSWORD })).toBeNull()
    expect(await authenticate({ username: account.username, password: NEW_PASSWORD })).toMatchObject({ id: account.id })
    const [row] = await db.select({ password: user.password }).from(user).where(eq(user.id, account.id))
    expect(row?.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(await sessionVersion(account.id)).toBe(version + 1)
    expect(await resolveSession(cookieSession)).toBeNull()
    expect(await resolveSession(apiToken)).toBeNull()

    // Used: the same token again is refused, and changes nothing.
    expect(await resetRows(account.id)).toEqual([])
    expect(await findPasswordReset(issued!.token)).toBeNull()
    expect(await resetPassword(issued!.token, 'yet another kettle', 'en')).toEqual({ ok: false, reason: 'invalid-token' })
    expect(await authenticate({ username: account.username, password: NEW_PASSWORD })).toMatchObject({ id: account.id })
    expect(await sessionVersion(account.id)).toBe(version + 1)

    await waitFor('the notice', () => mailTo(account.email).some((mail) => mail.subject === 'Your Todos password was changed'))
    const notice = mailTo(account.email).find((mail) => mail.subject === 'Your Todos password was changed')
    expect(notice?.text).toContain(`${APP_URL}/forgot-password`)
    expect(notice?.text).not.toContain(issued!.token)
  })

  it('expires after PASSWORD_RESET_TTL_SECONDS', async () => {
    const account = await verifiedAccount()
    const issued = await issuePasswordReset(account.email)
    expect(await findPasswordReset(issued!.token)).not.toBeNull()
    await sleep(TTL_SECONDS * 1000 + 200)
    expect(await findPasswordReset(issued!.token)).toBeNull()
    expect(await resetPassword(issued!.token, NEW_PASSWORD, 'en')).toEqual({ ok: false, reason: 'invalid-token' })
    expect(await authenticate({ username: account.username, password: TEST_PASSWORD })).toMatchObject({ id: account.id })
  })

  it('works only with the newest token: a newer request supersedes the older link', async () => {
    const account = await verifiedAccount()
    const first = await issuePasswordReset(account.email)
    const second = await issuePasswordReset(account.email)
    expect(second!.token).not.toBe(first!.token)
    expect(await resetRows(account.id)).toHaveLength(1)
    expect(await findPasswordReset(first!.token)).toBeNull()
    expect(await resetPassword(first!.token, NEW_PASSWORD, 'en')).toEqual({ ok: false, reason: 'invalid-token' })
    expect((await resetPassword(second!.token, NEW_PASSWORD, 'en')).ok).toBe(true)
  })

  it('is voided by a password change on the account page', async () => {
    const account = await verifiedAccount()
    const issued = await issuePasswordReset(account.email)
    await changePassword(account, 'changed on the account page')
    expect(await resetRows(account.id)).toEqual([])
    expect(await resetPassword(issued!.token, NEW_PASSWORD, 'en')).toEqual({ ok: false, reason: 'invalid-token' })
    expect(await authenticate({ username: account.username, password: 'changed on the account page' })).not.toBeNull()
  })

  it('is voided by deleting the account (the foreign key cascades)', async () => {
    const account = await verifiedAccount()
    const issued = await issuePasswordReset(account.email)
    await deleteAccount(account)
    expect(await resetRows(account.id)).toEqual([])
    expect(await findPasswordReset(issued!.token)).toBeNull()
    expect(await resetPassword(issued!.token, NEW_PASSWORD, 'en')).toEqual({ ok: false, reason: 'invalid-token' })
  })

  it('is voided when the account verifies another address', async () => {
    const account = await verifiedAccount()
    const issued = await issuePasswordReset(account.email)
    expect(await setVerifiedEmail(account, uniqueEmail('moved'))).toBe(true)
    expect(await resetPassword(issued!.token, NEW_PASSWORD, 'en')).toEqual({ ok: false, reason: 'invalid-token' })
  })

  it('lets exactly one of several concurrent resets with one token through', async () => {
    const account = await verifiedAccount()
    const issued = await issuePasswordReset(account.email)
    const version = await sessionVersion(account.id)
    const passwords = Array.from({ length: 5 }, (_, i) => `racing kettle number ${i}`)
    const results = await Promise.all(passwords.map((password) => resetPassword(issued!.token, password, 'en')))
    expect(results.filter((result) => result.ok)).toHaveLength(1)
    const winner = passwords[results.findIndex((result) => result.ok)]!
    expect(await authenticate({ username: account.username, password: winner })).toMatchObject({ id: account.id })
    for (const loser of passwords.filter((password) => password !== winner)) {
      expect(await authenticate({ username: account.username, password: loser })).toBeNull()
    }
    expect(await sessionVersion(account.id)).toBe(version + 1)
  })

  it('refuses anything that is not one of our tokens', async () => {
    for (const token of ['', 'abc', 'x'.repeat(43) + '=', sha256('anything')]) {
      expect(await findPasswordReset(token)).toBeNull()
      expect(await resetPassword(token, NEW_PASSWORD, 'en')).toEqual({ ok: false, reason: 'invalid-token' })
    }
  })
})

describe('limits', () => {
  it(`takes ${RESET_LIMITS.perEmail.max} requests an hour per email address, then sends nothing more`, async () => {
    const account = await verifiedAccount()
    const answers = []
    for (let i = 0; i < RESET_LIMITS.perEmail.max + 2; i++) {
      answers.push(await requestPasswordReset({ email: account.email, locale: 'en', address: uniqueAddress() }))
    }
    expect(answers).toEqual([...Array(RESET_LIMITS.perEmail.max).fill('queued'), 'limited', 'limited'])
    await queueDrained()
    expect(mailTo(account.email)).toHaveLength(RESET_LIMITS.perEmail.max)
    // Only the newest of the three links works.
    const tokens = mailTo(account.email).map((mail) => linkIn(mail).token)
    const valid = await Promise.all(tokens.map((token) => findPasswordReset(token)))
    expect(valid.filter(Boolean)).toHaveLength(1)
  })

  it(`issues ${RESET_LIMITS.perAccount.max} tokens an hour per account (a retried job does not count)`, async () => {
    const account = await verifiedAccount()
    for (let i = 0; i < RESET_LIMITS.perAccount.max; i++) expect(await issuePasswordReset(account.email)).not.toBeNull()
    expect(await issuePasswordReset(account.email)).toBeNull()
    expect(await issuePasswordReset(account.email, { countAttempt: false })).not.toBeNull()
  })

  it(`takes ${RESET_LIMITS.perAddress.max} requests an hour from one client address, for any email`, async () => {
    const address = uniqueAddress()
    const answers = []
    for (let i = 0; i <= RESET_LIMITS.perAddress.max; i++) {
      answers.push(await requestPasswordReset({ email: uniqueEmail('flood'), locale: 'en', address }))
    }
    expect(answers.filter((answer) => answer === 'queued')).toHaveLength(RESET_LIMITS.perAddress.max)
    expect(answers.at(-1)).toBe('limited')
    expect(await requestPasswordReset({ email: uniqueEmail('flood'), locale: 'en', address: uniqueAddress() })).toBe('queued')
    await queueDrained()
  })

  it('keeps email addresses out of Redis key names', async () => {
    const account = await verifiedAccount()
    await requestPasswordReset({ email: account.email, locale: 'en', address: uniqueAddress() })
    const names = await admin.keys(`${FILE_PREFIX}:*`)
    expect(names.some((name) => name.includes('limit:reset-email:'))).toBe(true)
    expect(names.filter((name) => name.includes('@'))).toEqual([])
    await queueDrained()
  })
})

describe('the table', () => {
  it('holds one row per account at most, and only hashes', async () => {
    const [counts] = await db
      .select({ rows: sql<number>`count(*)`, accounts: sql<number>`count(distinct ${passwordReset.userId})` })
      .from(passwordReset)
    expect(Number(counts?.rows)).toBe(Number(counts?.accounts))
    const rows = await db.select({ hash: passwordReset.tokenHash }).from(passwordReset)
    for (const { hash } of rows) expect(hash).toMatch(/^[0-9a-f]{64}$/)
  })
})
