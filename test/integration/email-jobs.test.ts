import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'

// This file's own Redis namespace (set before the app's modules read the environment), so the one
// test that queues through server/otp.ts, as the app does, runs a worker on a queue of its own
// instead of taking the jobs other test files leave in the shared one.
const FILE_PREFIX = vi.hoisted(() => {
  const prefix = `test-email-file-${Math.random().toString(16).slice(2, 12)}`
  process.env.REDIS_PREFIX = prefix
  return prefix
})

import {
  createEmailQueue,
  defaultQueuePrefix,
  EMAIL_QUEUE,
  type EmailJob,
  type EmailQueue,
  type QueuedEmailJob,
} from '@/server/jobs/email-queue'
import { startEmailWorker, type EmailWorker, type EmailWorkerOptions } from '@/server/jobs/email-worker'
import { onLogLine } from '@/server/logging.mjs'
import { listMessages, readMessage } from '@/server/mail/dev-mailbox'
import { createDevMailboxMailer, PermanentMailError } from '@/server/mail/transport'
import { requestEmailCode } from '@/server/otp'
import { resolveSession } from '@/server/sessions'
import { authenticate, createUser } from '@/server/users'
import { freePort } from '../../scripts/lib/free-port'
import { TEST_PASSWORD, uniqueUsername } from '../support/users'
import { sleep, waitFor } from '../support/wait'

// The email queue end to end on the real Redis, with a real SMTP listener (smtp-server) on a
// loopback port. Every test has its own BullMQ prefix, so its queue is invisible to the app's
// worker and to other tests; workers killed or stopped by a signal are child processes running
// scripts/worker.ts exactly as `npm run worker` does.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const CODE = '482915'

type Delivered = { to: string; subject: string; text: string; html: string; messageId: string }
type Reply = { delayMs?: number; refuse?: { code: number; message: string } }

/**
 * An SMTP server that keeps what it accepted. `reply(n)` shapes its answer to the n-th DATA (from
 * 0): delayed, or refused with a code. A message counts as delivered only if the client is still
 * connected when the server accepts it: a client that died before the 250 never learnt of it,
 * which is what a real server assumes too.
 */
async function startSmtpListener(reply: (attempt: number) => Reply = () => ({})) {
  const delivered: Delivered[] = []
  const closed = new Set<string>()
  let attempts = 0
  let replies = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose(session) {
      closed.add(session.id)
    },
    onData(stream, session, callback) {
      const { delayMs = 0, refuse } = reply(attempts++)
      simpleParser(stream)
        .then(async (mail) => {
          await sleep(delayMs)
          replies++
          if (refuse) return callback(Object.assign(new Error(refuse.message), { responseCode: refuse.code }))
          if (!closed.has(session.id)) {
            delivered.push({
              to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
            })
          }
          callback()
        })
        .catch(callback)
    },
  })
  server.on('error', () => {}) // a killed client resets its connection: expected here
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    delivered,
    attempts: () => attempts,
    /** DATA commands answered so far (accepted or refused). */
    replies: () => replies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

// What each test started, stopped afterwards whatever happened.
const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
})

const admin = new Redis(REDIS_URL)
afterAll(async () => {
  const keys = await admin.keys(`${FILE_PREFIX}:*`)
  if (keys.length > 0) await admin.del(...keys)
  admin.disconnect()
})

/** A fresh prefix, and its queue, keys and listener removed after the test. */
function isolatedQueue(
  prefix = `test-email-${randomBytes(5).toString('hex')}`,
): { prefix: string; queue: EmailQueue; inspect: Queue<QueuedEmailJob> } {
  const queue = createEmailQueue({ redisUrl: REDIS_URL, prefix })
  const inspect = new Queue<QueuedEmailJob>(EMAIL_QUEUE, { connection: new Redis(REDIS_URL), prefix })
  cleanups.push(async () => {
    await queue.close()
    await inspect.obliterate({ force: true })
    await inspect.close()
    // The worker's "sent" markers live beside the queue, under the same prefix.
    const keys = await admin.keys(`${prefix}:*`)
    if (keys.length > 0) await admin.del(...keys)
  })
  return { prefix, queue, inspect }
}

// The integration project shortens OTP_TTL_SECONDS for the code tests; here a code must stay
// worth sending (the worker drops expired ones) through a crash and a recovery.
const CODE_TTL_SECONDS = 180

function worker(options: EmailWorkerOptions): EmailWorker {
  const started = startEmailWorker({
    redisUrl: REDIS_URL,
    backoffDelayMs: 100,
    codeTtlMs: CODE_TTL_SECONDS * 1_000,
    ...options,
  })
  cleanups.push(() => started.close())
  return started
}

async function listener(reply?: (attempt: number) => Reply) {
  const started = await startSmtpListener(reply)
  cleanups.push(started.close)
  return started
}

/** scripts/worker.ts in a child process: node itself, so a signal reaches the worker and not a wrapper. */
function workerProcess(env: Record<string, string>) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'scripts/worker.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL, OTP_TTL_SECONDS: String(CODE_TTL_SECONDS), WORKER_BACKOFF_MS: '100', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  return { child, exited, output: () => output }
}

const verificationJob = (to = 'ada@example.com'): EmailJob => ({
  type: 'verification-code',
  to,
  username: 'ada',
  code: CODE,
  locale: 'en',
})

describe('email jobs', () => {
  it('delivers a verification code by SMTP, in a text and an HTML part, not in the subject', async () => {
    const smtp = await listener()
    const { prefix, queue } = isolatedQueue()
    worker({ prefix, smtpUrl: smtp.url })

    await queue.enqueue(verificationJob(), 'user-1-first')
    await waitFor('the email', () => smtp.delivered.length === 1)

    const [mail] = smtp.delivered
    expect(mail?.to).toBe('ada@example.com')
    expect(mail?.subject).toBe('Your Todos verification code')
    expect(mail?.text).toContain('482 915')
    expect(mail?.html.replace(/<[^>]*>/g, '')).toContain(CODE)
    expect(mail?.messageId).toMatch(/^<[0-9a-f]{32}@todos\.localhost>$/)
  })

  it('sends the code in the language the user saved, queued the way the API does it', async () => {
    const smtp = await listener()
    // The app's own queue under this file's prefix: requestEmailCode enqueues there.
    const { prefix } = isolatedQueue(defaultQueuePrefix())
    // scripts/worker.ts as `npm run worker` runs it (react-server condition): the templates' imports must work there.
    const child = workerProcess({ SMTP_URL: smtp.url, EMAIL_QUEUE_PREFIX: prefix })
    const username = uniqueUsername('korean')
    const created = await createUser({ username, password: TEST_PASSWORD, preferences: { locale: 'ko', theme: 'system' } })
    if (!created.ok) throw new Error('test user could not be created')
    // The viewer as a bearer token resolves it: the saved language comes with it.
    const account = await authenticate({ username, password: TEST_PASSWORD })
    const viewer = await resolveSession({ userId: created.viewer.id, sessionVersion: account!.sessionVersion })
    expect(viewer?.locale).toBe('ko')

    // The API's rule (apiEmailLocale in server/preferences.ts, which needs Next to import): saved, else 'en'.
    const to = `${username}@example.test`
    expect(await requestEmailCode(viewer!, to, viewer!.locale ?? 'en')).toMatchObject({ ok: true })
    await waitFor('the email', () => smtp.delivered.length === 1, 20_000)

    const [mail] = smtp.delivered
    expect(mail?.to, child.output()).toBe(to)
    expect(mail?.subject).toBe('Todos 인증 코드')
    expect(mail?.subject).not.toMatch(/\d/)
    expect(mail?.text).toMatch(new RegExp(`^${username}님, 안녕하세요\\.`))
    expect(mail?.text).toMatch(/    \d{3} \d{3}\n/)
    expect(mail?.text).toContain('분 동안 유효합니다')
    expect(mail?.html).toContain('<html lang="ko">')
  })

  it('still sends a job queued before emails had languages, in English', async () => {
    const smtp = await listener()
    const { prefix, inspect } = isolatedQueue()
    // The payload an earlier build queued: no locale.
    const legacy: QueuedEmailJob = { type: 'verification-code', to: 'ada@example.com', username: 'ada', code: CODE }
    await inspect.add('verification-code', legacy, { jobId: 'verification-code.user-10-first' })
    worker({ prefix, smtpUrl: smtp.url })

    await waitFor('the email', () => smtp.delivered.length === 1)
    expect(smtp.delivered[0]?.subject).toBe('Your Todos verification code')
    expect(smtp.delivered[0]?.text).toContain('482 915')
    expect(smtp.delivered[0]?.html).toContain('<html lang="en">')
  })

  it('drops a verification code that expired before it could be sent', async () => {
    const smtp = await listener()
    const { prefix, queue, inspect } = isolatedQueue()
    await queue.enqueue(verificationJob(), 'user-9-first')
    await sleep(50)
    worker({ prefix, smtpUrl: smtp.url, codeTtlMs: 20 })

    const id = 'verification-code.user-9-first'
    await waitFor('the job to fail', async () => (await (await inspect.getJob(id))?.getState()) === 'failed')
    expect((await inspect.getJob(id))?.failedReason).toBe('the code expired before it could be sent')
    expect((await inspect.getJob(id))?.attemptsMade).toBe(1)
    expect(smtp.attempts()).toBe(0)
  })

  it('retries with backoff after 451 replies, delivers once, and never logs the code', async () => {
    const logged: string[] = []
    const stop = onLogLine((line) => void logged.push(line))
    cleanups.push(async () => stop())
    // The refusal quotes the code, as a server echoing content might: the log must not.
    const refuse = { code: 451, message: `4.7.1 Greylisted, try again later (${CODE})` }
    const smtp = await listener((attempt) => (attempt < 2 ? { refuse } : {}))
    const { prefix, queue, inspect } = isolatedQueue()
    worker({ prefix, smtpUrl: smtp.url })

    await queue.enqueue(verificationJob(), 'user-2-first')
    await waitFor('the email', () => smtp.delivered.length === 1)
    await sleep(300)

    expect(smtp.attempts()).toBe(3)
    expect(smtp.delivered).toHaveLength(1)
    const job = await inspect.getJob('verification-code.user-2-first')
    expect(await job?.getState()).toBe('completed')
    expect(job?.attemptsMade).toBe(3)
    expect(logged.filter((line) => line.includes('failed (will retry)'))).toHaveLength(2)
    expect(logged.join('\n')).toContain('[code]')
    expect(logged.join('\n')).not.toContain(CODE)
    expect(logged.join('\n')).not.toContain('ada@example.com')
  })

  it('sends one email for one job id: added twice at once, again after it completed, and after pruning', async () => {
    const smtp = await listener()
    const { prefix, queue, inspect } = isolatedQueue()
    worker({ prefix, smtpUrl: smtp.url })
    const job: EmailJob = { type: 'email-verified', to: 'ada@example.com', username: 'ada', locale: 'en' }

    await Promise.all([queue.enqueue(job, 'user-3:ada@example.com'), queue.enqueue(job, 'user-3:ada@example.com')])
    await waitFor('the email', () => smtp.delivered.length === 1)
    const id = 'email-verified.user-3%3Aada@example.com'
    await waitFor('completion', async () => (await (await inspect.getJob(id))?.getState()) === 'completed')

    // Within a day the completed job itself is the guard: BullMQ ignores the add.
    await queue.enqueue(job, 'user-3:ada@example.com')
    expect(await inspect.getJobCounts('wait', 'active', 'completed')).toEqual({ wait: 0, active: 0, completed: 1 })

    // Once BullMQ has pruned it, the worker's "sent" marker is: the job runs, and sends nothing.
    await (await inspect.getJob(id))?.remove()
    await queue.enqueue(job, 'user-3:ada@example.com')
    await waitFor('the second run', async () => (await (await inspect.getJob(id))?.getState()) === 'completed')
    expect((await inspect.getJob(id))?.returnvalue).toBe('already sent')
    expect(smtp.delivered).toHaveLength(1)
    expect(smtp.delivered[0]?.subject).toBe('Your Todos email address is verified')
  })

  it('delivers once when a worker is killed mid-send and another takes over', async () => {
    // The first DATA is answered only after the worker is dead; the server then keeps nothing.
    const smtp = await listener((attempt) => (attempt === 0 ? { delayMs: 3_000 } : {}))
    const { prefix, queue, inspect } = isolatedQueue()
    await queue.enqueue(verificationJob(), 'user-4-first')

    const first = workerProcess({
      SMTP_URL: smtp.url,
      EMAIL_QUEUE_PREFIX: prefix,
      WORKER_LOCK_MS: '1000',
      WORKER_STALLED_MS: '500',
    })
    await waitFor('the first worker to send', () => smtp.attempts() === 1, 20_000)
    first.child.kill('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')
    expect(await (await inspect.getJob('verification-code.user-4-first'))?.getState()).toBe('active')

    // Its lock runs out within a second; the new worker's stalled check puts the job back.
    worker({ prefix, smtpUrl: smtp.url, stalledInterval: 500, lockDuration: 1_000 })
    await waitFor('the email', () => smtp.delivered.length === 1)
    // Let the first DATA's delayed answer come due (3 s after it began, before the kill). Whether
    // the listener still counts a reply on a socket whose client died is a timing detail, so only
    // what matters is checked: nothing more is delivered.
    await sleep(3_300)
    expect(smtp.attempts()).toBe(2)
    expect(smtp.delivered).toHaveLength(1)
    expect(await (await inspect.getJob('verification-code.user-4-first'))?.getState()).toBe('completed')
    expect(first.output()).not.toContain(CODE)
  })

  it('finishes the job in flight on SIGTERM, takes no new one, and exits 0', async () => {
    const smtp = await listener((attempt) => (attempt === 0 ? { delayMs: 1_500 } : {}))
    const { prefix, queue, inspect } = isolatedQueue()
    await queue.enqueue(verificationJob(), 'user-5-first')

    const child = workerProcess({ SMTP_URL: smtp.url, EMAIL_QUEUE_PREFIX: prefix })
    await waitFor('the worker to send', () => smtp.attempts() === 1, 20_000)
    child.child.kill('SIGTERM')
    await sleep(100)
    await queue.enqueue(verificationJob('grace@example.com'), 'user-6-first')

    const started = Date.now()
    const { code } = await child.exited
    expect(code, child.output()).toBe(0)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(smtp.delivered.map((mail) => mail.to)).toEqual(['ada@example.com'])
    expect(await (await inspect.getJob('verification-code.user-5-first'))?.getState()).toBe('completed')
    expect(await (await inspect.getJob('verification-code.user-6-first'))?.getState()).toBe('waiting')
    expect(child.output()).toContain('SIGTERM')
  })

  it('writes to the development mailbox without SMTP, and reads back only safe ids', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dev-mailbox-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const { prefix, queue } = isolatedQueue()
    worker({ prefix, mailer: createDevMailboxMailer({ dir, from: 'Todos <no-reply@todos.localhost>' }) })

    await queue.enqueue(verificationJob(), 'user-7-first')
    await waitFor('the message', async () => (await listMessages(dir)).length === 1)
    const [summary] = await listMessages(dir)
    expect(summary).toMatchObject({ to: 'ada@example.com', subject: 'Your Todos verification code' })
    const message = await readMessage(dir, summary!.id)
    expect(message?.text).toContain('482 915')
    expect(message?.html).toContain('482<span')

    // A file beside the mailbox, and ids that try to reach it.
    await writeFile(path.join(dir, '..', `${path.basename(dir)}-secret.json`), '{}')
    cleanups.push(() => rm(path.join(dir, '..', `${path.basename(dir)}-secret.json`), { force: true }))
    for (const id of ['../secret', `../${path.basename(dir)}-secret`, '..%2Fsecret', `${summary!.id}/..`, '']) {
      expect(await readMessage(dir, id)).toBeNull()
    }
    const mailer = createDevMailboxMailer({ dir, from: 'Todos <no-reply@todos.localhost>' })
    const list = { to: 'a@example.com, b@example.com', subject: 's', text: 't', html: 'h' }
    await expect(mailer.send(list)).rejects.toBeInstanceOf(PermanentMailError)
  })

  it('fails fast when Redis is unreachable', async () => {
    const queue = createEmailQueue({ redisUrl: `redis://127.0.0.1:${await freePort()}`, prefix: 'test-email-down' })
    cleanups.push(() => queue.close())
    const started = Date.now()
    await expect(queue.enqueue(verificationJob(), 'user-8-first')).rejects.toThrow(/Redis/)
    expect(Date.now() - started).toBeLessThan(1_500)
  })
})
