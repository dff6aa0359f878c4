import { spawn } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { TZDate } from '@date-fns/tz'
import { eq } from 'drizzle-orm'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'

// This file's own Redis namespace, set before the app's modules read the environment: syncReminder
// schedules on `<REDIS_PREFIX>:bull`, where this file's workers look.
const FILE_PREFIX = vi.hoisted(() => {
  const prefix = `test-remind-${Math.random().toString(16).slice(2, 12)}`
  process.env.REDIS_PREFIX = prefix
  return prefix
})

import { todo, user } from '@/db/schema'
import { db } from '@/server/db'
import { defaultQueuePrefix } from '@/server/jobs/email-queue'
import { startWorkers, type EmailWorker } from '@/server/jobs/email-worker'
import { REMINDER_QUEUE, syncReminder, syncReminders } from '@/server/jobs/reminders'
import { FAST_FAIL_OPTIONS } from '@/server/redis'
import { localDay } from '@/server/jobs/summary'
import { setSummaryHour } from '@/server/users'
import { freePort } from '../../scripts/lib/free-port'
import { createTestViewer } from '../support/users'
import { sleep, waitFor } from '../support/wait'

// Reminders and the morning summary end to end: MariaDB rows written as the data layer will write
// them, syncReminder as it will call it, the workers on the real Redis, an SMTP listener.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const PREFIX = defaultQueuePrefix()

type Delivered = { to: string; subject: string; text: string; html: string; at: number }

/** An SMTP listener; `delayFirstMs` holds the first DATA's answer (a worker killed meanwhile never learns of it). */
async function listener({ delayFirstMs = 0 } = {}) {
  const delivered: Delivered[] = []
  const closed = new Set<string>()
  let attempts = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose: (session) => void closed.add(session.id),
    onData(stream, session, callback) {
      const delay = attempts++ === 0 ? delayFirstMs : 0
      simpleParser(stream)
        .then(async (mail) => {
          await sleep(delay)
          if (!closed.has(session.id)) {
            delivered.push({
              to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              at: Date.now(),
            })
          }
          callback()
        })
        .catch(callback)
    },
  })
  server.on('error', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `smtp://127.0.0.1:${port}`, delivered, attempts: () => attempts, to: (to: string) => delivered.filter((m) => m.to === to) }
}

const cleanups: Array<() => Promise<unknown>> = []
const admin = new Redis(REDIS_URL)
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
  // Redis forgets this file's queues, triggers and markers between tests.
  const keys = await admin.keys(`${FILE_PREFIX}:*`)
  if (keys.length > 0) await admin.del(...keys)
})
afterAll(() => admin.disconnect())

function workers(smtpUrl: string, reminders: { sweepEveryMs?: number; summaryEveryMs?: number } = {}): EmailWorker {
  const started = startWorkers(
    { redisUrl: REDIS_URL, prefix: PREFIX, smtpUrl, backoffDelayMs: 100, lockDuration: 1_000, stalledInterval: 500 },
    { sweepEveryMs: 60_000, summaryEveryMs: 60_000, lockDuration: 1_000, stalledInterval: 500, ...reminders },
  )
  cleanups.push(() => started.close())
  return started
}

function workerProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL, EMAIL_QUEUE_PREFIX: PREFIX, WORKER_BACKOFF_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  return { child, exited, output: () => output }
}

/** A user with a verified address (or none), in a language and zone. */
async function owner({ verified = true, locale = 'en', timeZone = 'UTC' } = {}) {
  const viewer = await createTestViewer('remind')
  // Gone after the test, todos and all: no reminder of this file comes due in another file's worker.
  cleanups.push(() => db.delete(user).where(eq(user.id, viewer.id)))
  const email = `${viewer.username}@example.test`
  await db
    .update(user)
    .set({ email: verified ? email : null, emailVerifiedAt: verified ? new Date() : null, locale, timeZone })
    .where(eq(user.id, viewer.id))
  return { viewer, email }
}

/** A whole second `ms` from now (DATETIME keeps seconds). */
const secondsFromNow = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1_000) * 1_000)

async function addTodo(userId: number, values: { contents?: string; dueAt?: Date | null; remindAt?: Date | null; isDone?: boolean }) {
  const [created] = await db
    .insert(todo)
    .values({ contents: 'Call the bank', userId, ...values })
    .$returningId()
  await syncReminder(created!.id)
  return created!.id
}

async function setTodo(id: number, values: Partial<typeof todo.$inferInsert>) {
  await db.update(todo).set(values).where(eq(todo.id, id))
  await syncReminder(id)
}

describe('reminders', () => {
  it('emails once at remind_at, in the owner language, with the due time in their zone and a link', async () => {
    const smtp = await listener()
    workers(smtp.url)
    const { viewer, email } = await owner({ locale: 'ko', timeZone: 'Asia/Seoul' })
    const remindAt = secondsFromNow(3_000)
    const dueAt = new Date(Date.UTC(2026, 11, 24, 9, 0))
    const id = await addTodo(viewer.id, { contents: '은행에 <전화>하기', dueAt, remindAt })

    await waitFor('the reminder', () => smtp.to(email).length === 1)
    const [mail] = smtp.to(email)
    const latency = mail!.at - remindAt.getTime()
    console.info(`[reminders test] delivered ${latency} ms after remind_at`)
    expect(latency).toBeGreaterThanOrEqual(0)
    expect(latency).toBeLessThan(3_000)
    expect(mail!.subject).toBe('Todos 알림')
    expect(mail!.text).toContain('은행에 <전화>하기')
    expect(mail!.text).toContain('마감: 2026년 12월 24일 목요일 18:00 GMT+9')
    expect(mail!.text).toContain('http://localhost:3000/todos')
    expect(mail!.html).toContain('<html lang="ko">')
    expect(mail!.html).toContain('은행에 &lt;전화&gt;하기')

    await waitFor('the record', async () => {
      const [row] = await db.select({ sent: todo.reminderSentFor }).from(todo).where(eq(todo.id, id))
      return row?.sent?.getTime() === remindAt.getTime()
    })
    await syncReminder(id) // a write after it went out schedules nothing more
    await sleep(1_500)
    expect(smtp.to(email)).toHaveLength(1)
  })

  it('fires only the new time after a reschedule', async () => {
    const smtp = await listener()
    workers(smtp.url)
    const { viewer, email } = await owner()
    const id = await addTodo(viewer.id, { remindAt: secondsFromNow(2_000) })
    const later = secondsFromNow(4_000)
    await setTodo(id, { remindAt: later })

    await waitFor('the reminder', () => smtp.to(email).length === 1)
    expect(smtp.to(email)[0]!.at).toBeGreaterThanOrEqual(later.getTime())
    await sleep(1_000)
    expect(smtp.to(email)).toHaveLength(1)
  })

  it('sends nothing once cleared, completed or deleted, nor to an owner without a verified address', async () => {
    const smtp = await listener()
    workers(smtp.url, { sweepEveryMs: 500 })
    const { viewer, email } = await owner()
    const unverified = await owner({ verified: false })
    const at = secondsFromNow(2_000)
    const cleared = await addTodo(viewer.id, { remindAt: at })
    const completed = await addTodo(viewer.id, { remindAt: at })
    const deleted = await addTodo(viewer.id, { remindAt: at })
    await addTodo(unverified.viewer.id, { remindAt: at })
    await setTodo(cleared, { remindAt: null })
    await db.update(todo).set({ isDone: true }).where(eq(todo.id, completed))
    await db.delete(todo).where(eq(todo.id, deleted))
    await syncReminders([completed, deleted])

    await sleep(at.getTime() - Date.now() + 2_500)
    expect(smtp.to(email)).toHaveLength(0)
    expect(smtp.delivered.filter((mail) => mail.to === unverified.email)).toHaveLength(0)
  })

  it('sends once with two workers and a sweep racing the triggers', async () => {
    const smtp = await listener()
    workers(smtp.url, { sweepEveryMs: 300 })
    workers(smtp.url, { sweepEveryMs: 300 })
    const { viewer, email } = await owner()
    const at = secondsFromNow(2_000)
    const ids = await Promise.all(Array.from({ length: 6 }, (_, n) => addTodo(viewer.id, { contents: `todo ${n}`, remindAt: at })))
    await syncReminders(ids) // again: the same trigger ids, no-ops

    await waitFor('six reminders', () => smtp.to(email).length === 6)
    await sleep(1_500)
    expect(smtp.to(email)).toHaveLength(6)
    expect(new Set(smtp.to(email).map((mail) => mail.text.match(/todo \d/)?.[0])).size).toBe(6)
  })

  it('sends once when a worker is killed mid-send and another takes over', async () => {
    const smtp = await listener({ delayFirstMs: 3_000 })
    const { viewer, email } = await owner()
    const first = workerProcess({ SMTP_URL: smtp.url, WORKER_LOCK_MS: '1000', WORKER_STALLED_MS: '500', REMINDER_SWEEP_MS: '60000' })
    await addTodo(viewer.id, { remindAt: secondsFromNow(2_000) })
    await waitFor('the first worker to send', () => smtp.attempts() === 1, 20_000)
    first.child.kill('SIGKILL')
    await first.exited

    workers(smtp.url, { sweepEveryMs: 500 })
    await waitFor('the email', () => smtp.to(email).length === 1)
    await sleep(3_500)
    expect(smtp.attempts()).toBe(2)
    expect(smtp.to(email)).toHaveLength(1)
  })

  it('sends what Redis lost, by the sweep, once; and never again after Redis forgets it was sent', async () => {
    const smtp = await listener()
    const { viewer, email } = await owner()
    const at = secondsFromNow(1_000)
    const id = await addTodo(viewer.id, { remindAt: at })
    // Redis loses the trigger before any worker sees it.
    const keys = await admin.keys(`${FILE_PREFIX}:*`)
    expect(keys.length).toBeGreaterThan(0)
    await admin.del(...keys)
    await sleep(at.getTime() - Date.now() + 200)

    workers(smtp.url, { sweepEveryMs: 500 })
    await waitFor('the sweep to send it', () => smtp.to(email).length === 1)
    const [mail] = smtp.to(email)
    console.info(`[reminders test] the sweep delivered ${mail!.at - at.getTime()} ms after remind_at (worker started late)`)
    await waitFor('the record', async () => {
      const [row] = await db.select({ sent: todo.reminderSentFor }).from(todo).where(eq(todo.id, id))
      return row?.sent?.getTime() === at.getTime()
    })

    // Redis loses everything again (queues, completed jobs, "sent" markers): MariaDB still knows.
    const again = await admin.keys(`${FILE_PREFIX}:*`)
    if (again.length > 0) await admin.del(...again)
    await syncReminder(id)
    await sleep(2_000)
    expect(smtp.to(email)).toHaveLength(1)
  })

  it('does not throw from syncReminder when Redis is unreachable', async () => {
    const { viewer } = await owner()
    const [created] = await db.insert(todo).values({ contents: 'x', userId: viewer.id, remindAt: secondsFromNow(60_000) }).$returningId()
    // The module's scheduler, pointed at a port nothing listens on (not the shared Redis paused).
    const globals = globalThis as unknown as { reminderScheduler?: unknown }
    const saved = globals.reminderScheduler
    const connection = new Redis(`redis://127.0.0.1:${await freePort()}`, { ...FAST_FAIL_OPTIONS, commandTimeout: 1_000 })
    connection.on('error', () => {})
    const queue = new Queue(REMINDER_QUEUE, { connection, prefix: PREFIX })
    queue.on('error', () => {})
    globals.reminderScheduler = { queue, connection }
    cleanups.push(async () => {
      globals.reminderScheduler = saved
      await queue.close().catch(() => {})
      connection.disconnect()
    })
    const started = Date.now()
    await expect(syncReminder(created!.id)).resolves.toBeUndefined()
    expect(Date.now() - started).toBeLessThan(2_500)
  })
})

describe('the morning summary', () => {
  it('emails what is due today and overdue at the chosen local hour, once; nothing when nothing is due', async () => {
    const smtp = await listener()
    const zone = 'Asia/Seoul'
    const now = new Date()
    const day = localDay(now, zone)
    const { viewer, email } = await owner({ timeZone: zone })
    const idle = await owner({ timeZone: zone })
    await setSummaryHour(viewer, day.hour)
    await setSummaryHour(idle.viewer, day.hour)
    const startOfToday = new Date(new TZDate(day.endsAt.getTime() - 86_400_000, zone).getTime())
    const laterToday = new Date(Math.min(day.endsAt.getTime() - 1_000, now.getTime() + 60_000))
    await addTodo(viewer.id, { contents: 'overdue <b>', dueAt: new Date(startOfToday.getTime() - 3_600_000) })
    await addTodo(viewer.id, { contents: 'due today', dueAt: laterToday })
    await addTodo(viewer.id, { contents: 'due tomorrow', dueAt: new Date(day.endsAt.getTime() + 3_600_000) })
    await addTodo(viewer.id, { contents: 'done today', dueAt: laterToday, isDone: true })
    await addTodo(idle.viewer.id, { contents: 'idle tomorrow', dueAt: new Date(day.endsAt.getTime() + 3_600_000) })

    workers(smtp.url, { summaryEveryMs: 500 })
    workers(smtp.url, { summaryEveryMs: 500 })
    await waitFor('the summary', () => smtp.to(email).length === 1)
    await sleep(2_000)
    expect(smtp.to(email)).toHaveLength(1)
    expect(smtp.to(idle.email)).toHaveLength(0)
    const [mail] = smtp.to(email)
    expect(mail!.subject).toBe('Your Todos for today')
    expect(mail!.text).toContain('2 todos are due today or overdue:')
    expect(mail!.text).toContain('overdue <b> (Overdue')
    expect(mail!.text).toContain('due today (Today')
    expect(mail!.text).not.toContain('tomorrow')
    expect(mail!.text).not.toContain('done today')
    expect(mail!.html).toContain('overdue &lt;b&gt;')
    const [row] = await db.select({ sentOn: user.summarySentOn }).from(user).where(eq(user.id, viewer.id))
    expect(row?.sentOn).toBe(day.date)
  })
})
