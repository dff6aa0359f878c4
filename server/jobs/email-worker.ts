import 'server-only'
import { createHash } from 'node:crypto'
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import { DEFAULT_LOCALE, isLocale } from '@/lib/i18n/preferences'
import { env } from '../env'
import {
  emailVerifiedEmail,
  passwordChangedEmail,
  passwordResetEmail,
  reminderEmail,
  summaryEmail,
  verificationCodeEmail,
  type RenderedEmail,
} from '../mail/templates'
import { createMailer, PermanentMailError, type Mailer } from '../mail/transport'
import { issuePasswordReset, resetLink } from '../password-reset'
import { createRedis, type RedisTarget } from '../redis'
import { DEDUPE_SECONDS, defaultQueuePrefix, EMAIL_BACKOFF, EMAIL_QUEUE, queueTarget, type QueuedEmailJob } from './email-queue'
import { startReminderWorker } from './reminder-worker'
import { markReminderSent, reminderSendState } from './reminders'
import { metrics } from '../metrics'
import { componentLog } from '../log'

const log = componentLog('email')

export type EmailWorkerOptions = {
  /** One Redis server (tests); `redis` wins when both are given. */
  redisUrl?: string
  redis?: RedisTarget
  /** BullMQ key prefix; must match the queue's. */
  prefix?: string
  /** Jobs in flight at once (EMAIL_WORKER_CONCURRENCY). Each holds one pooled SMTP connection while sending. */
  concurrency?: number
  /** How long a job's lock lives without renewal: after a crash, the job waits this long. */
  lockDuration?: number
  /** How often this worker looks for jobs whose worker died. */
  stalledInterval?: number
  /** First retry delay; each next one doubles (±20% jitter so a fleet does not retry in step). */
  backoffDelayMs?: number
  /** How long close() waits for jobs in flight before giving up on them (another worker retries). */
  drainTimeoutMs?: number
  /** A verification code older than this is not worth sending (its code has expired). */
  codeTtlMs?: number
  /** Defaults to SMTP_URL, or the development mailbox without it. */
  smtpUrl?: string
  mailer?: Mailer
  from?: string
  /** Where links in emails point (APP_URL). */
  appUrl?: string
}

export type EmailWorker = { close(): Promise<void> }

/** What a job did, as its log line says: "nothing to send" is a reset asked for an address no verified account has (or over its limit). */
type JobOutcome = 'sent' | 'already sent' | 'cancelled' | 'nothing to send'

/**
 * Starts a BullMQ worker on the `email` queue. Each job renders its email and sends it once:
 * after SMTP accepts a message, a "sent" marker for the job id is stored in Redis, so a job run
 * again (its worker died before BullMQ recorded the completion, or it was enqueued again after
 * its completed job was pruned) is skipped. See docs/decisions/0005-email-jobs.md.
 */
export function startEmailWorker(options: EmailWorkerOptions = {}): EmailWorker {
  const {
    prefix = defaultQueuePrefix(),
    concurrency = env.EMAIL_WORKER_CONCURRENCY,
    lockDuration = 30_000,
    stalledInterval = 30_000,
    backoffDelayMs = 2_000,
    drainTimeoutMs = 8_000,
    codeTtlMs = env.OTP_TTL_SECONDS * 1_000,
    from = env.MAIL_FROM,
    appUrl = env.APP_URL,
  } = options
  const listUrl = new URL('/todos', appUrl).toString()
  const forgotUrl = new URL('/forgot-password', appUrl).toString()
  const mailer = options.mailer ?? createMailer({ smtpUrl: options.smtpUrl ?? env.SMTP_URL, from, connections: concurrency })
  const messageIdDomain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'todos.localhost'

  // BullMQ's blocking reads need maxRetriesPerRequest: null; the worker waits out a Redis outage.
  const connection = createRedis(queueTarget(options), { mode: 'blocking' })
  const sentKey = (jobId: string) => `${prefix}:${EMAIL_QUEUE}-sent:${jobId}`

  async function processJob(job: Job<QueuedEmailJob>): Promise<JobOutcome> {
    const jobId = job.id ?? ''
    if ((await connection.exists(sentKey(jobId))) === 1) return 'already sent'

    const data = job.data
    // Jobs queued before emails had languages (or with one this build does not know) go out in English.
    const locale = isLocale(data.locale) ? data.locale : DEFAULT_LOCALE
    let email: RenderedEmail
    let to = data.to
    // A secret this email carries, kept out of any error message that reaches a log line.
    let secret: string | undefined
    if (data.type === 'password-reset') {
      // The address may be nobody's: the lookup and the token happen here, not in the request
      // (server/password-reset.ts). A retry issues a new token, which voids the one of an attempt
      // that may not have been delivered; only the first attempt counts against the account's limit.
      const issued = await issuePasswordReset(data.to, { countAttempt: job.attemptsMade === 0 })
      if (!issued) return 'nothing to send'
      secret = issued.token
      to = issued.account.email
      const validMinutes = Math.max(1, Math.round((issued.expiresAt.getTime() - Date.now()) / 60_000))
      email = passwordResetEmail({
        locale: issued.account.locale ?? locale,
        username: issued.account.username,
        link: resetLink(appUrl, issued.token),
        validMinutes,
      })
    } else if (data.type === 'password-changed') {
      email = passwordChangedEmail({ locale, username: data.username, resetUrl: forgotUrl })
    } else if (data.type === 'verification-code') {
      // The code was made when the job was enqueued; say how long it has left, or drop it.
      const leftMs = job.timestamp + codeTtlMs - Date.now()
      if (leftMs <= 0) throw new UnrecoverableError('the code expired before it could be sent')
      const validMinutes = Math.max(1, Math.round(leftMs / 60_000))
      email = verificationCodeEmail({ locale, username: data.username, code: data.code, validMinutes })
    } else if (data.type === 'reminder') {
      // MariaDB has the last word: the todo may have changed since, and a "sent" marker lost with
      // Redis is still recorded there (docs/decisions/0010-reminders.md).
      const state = await reminderSendState(data)
      if (state === 'sent') return 'already sent'
      if (state === 'cancelled') return 'cancelled'
      const dueAt = data.dueAt ? new Date(data.dueAt) : null
      email = reminderEmail({ locale, username: data.username, contents: data.contents, dueAt, timeZone: data.timeZone, listUrl })
    } else if (data.type === 'summary') {
      const items = data.items.map((item) => ({ ...item, dueAt: new Date(item.dueAt) }))
      email = summaryEmail({ locale, username: data.username, items, total: data.total, timeZone: data.timeZone, listUrl })
    } else {
      email = emailVerifiedEmail({ locale, username: data.username, email: data.to })
    }

    try {
      // A stable Message-ID: should a duplicate slip through (see the decision record), many
      // mailbox providers show messages with the same Message-ID once.
      await mailer.send({ to, ...email, messageId: `<${hash(`${prefix}/${jobId}`)}@${messageIdDomain}>` })
    } catch (error) {
      let message = redact(error instanceof Error ? error.message : String(error), data)
      if (secret) message = message.replaceAll(secret, '[token]')
      if (error instanceof PermanentMailError) throw new UnrecoverableError(message)
      throw new Error(message)
    }

    // Best effort: if Redis fails here the job still completes; only the duplicate guard is lost.
    await connection.set(sentKey(jobId), String(Date.now()), 'EX', DEDUPE_SECONDS).catch(() => {})
    if (data.type === 'reminder') {
      metrics.reminderLag.observe(Math.max(0, (Date.now() - new Date(data.remindAt).getTime()) / 1_000))
      await markReminderSent(data).catch((error) => {
        log.error(`job ${jobId}: sent, but could not record it in MariaDB: ${error instanceof Error ? error.message : error}`)
      })
    }
    return 'sent'
  }

  const worker = new Worker<QueuedEmailJob, JobOutcome>(EMAIL_QUEUE, processJob, {
    connection,
    prefix,
    concurrency,
    lockDuration,
    stalledInterval,
    // A job whose worker died twice mid-send is more likely a poison message than two deploys.
    maxStalledCount: 2,
    settings: {
      backoffStrategy: (attemptsMade, type) => {
        if (type !== EMAIL_BACKOFF) return -1 // any other strategy: fail instead of guessing
        return Math.round(backoffDelayMs * 2 ** (attemptsMade - 1) * (0.8 + Math.random() * 0.4))
      },
    },
  })

  // Log lines name the job id, type, attempt and error message, never the data: the code, the
  // recipient and the username stay out of logs.
  const describe = (job: Job<QueuedEmailJob>) => {
    const attempt = `${job.attemptsMade}/${job.opts.attempts ?? 1}`
    return `job ${redact(job.id ?? '?', job.data)} (${job.data.type}) attempt ${attempt}`
  }
  worker.on('completed', (job, result) => {
    log.info(`${describe(job)}: ${result}`)
  })
  worker.on('failed', (job, error) => {
    metrics.jobsFailed.inc({ queue: EMAIL_QUEUE, final: String(job?.finishedOn !== undefined) })
    if (!job) return log.warn(`a job failed: ${error.message}`)
    const outcome = job.finishedOn === undefined ? 'will retry' : 'gave up'
    log.warn(`${describe(job)} failed (${outcome}): ${redact(error.message, job.data)}`)
  })
  worker.on('stalled', (jobId) => {
    log.warn(`job ${jobId} stalled (its worker stopped mid-job); back in the queue`)
  })
  let lastError = ''
  worker.on('error', (error) => {
    // A Redis outage repeats the same error on every reconnect attempt: say it once.
    if (error.message === lastError) return
    lastError = error.message
    log.error(`worker error: ${error.message}`)
  })
  worker.on('ready', () => {
    lastError = ''
  })

  let closing: Promise<void> | undefined
  return {
    close() {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined
        const drained = await Promise.race([
          worker.close().then(() => true),
          new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainTimeoutMs))),
        ])
        clearTimeout(timer)
        if (!drained) {
          log.warn(`jobs still running after ${drainTimeoutMs} ms: left to be retried by another worker`)
        }
        mailer.close()
        connection.disconnect()
      })()
      return closing
    },
  }
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const
type StopSignal = (typeof STOP_SIGNALS)[number]

/**
 * Closes the worker on SIGTERM or SIGINT (stop taking jobs, let those in flight finish, bounded by
 * drainTimeoutMs), then calls `then`. Further signals meanwhile are ignored rather than left to
 * Node's default, which would kill the process mid-job.
 */
export function closeOnSignals(worker: EmailWorker, then: (signal: StopSignal) => void): void {
  let received: StopSignal | undefined
  const onSignal = (signal: StopSignal) => {
    if (received) return
    received = signal
    log.info(`${signal}: finishing the jobs in flight before exiting`)
    void worker.close().finally(() => then(signal))
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
}

const globalForWorker = globalThis as unknown as { emailWorker?: EmailWorker }

/** The email worker and the reminder worker (triggers and sweeps) as one: they run together. */
export function startWorkers(email: EmailWorkerOptions = {}, reminders: Parameters<typeof startReminderWorker>[0] = {}): EmailWorker {
  const mail = startEmailWorker(email)
  const reminding = startReminderWorker({ prefix: email.prefix, redisUrl: email.redisUrl, redis: email.redis, ...reminders })
  return { close: async () => void (await Promise.all([reminding.close(), mail.close()])) }
}

/**
 * Runs the workers (email, reminders) inside a `next start` / `next dev` server unless
 * RUN_WORKER=false. Under `next start`, Next's own SIGTERM handler closes the HTTP server and exits
 * (143) as soon as no request is open (11 ms when idle, measured), cutting jobs in flight short. So
 * Next's handlers are set aside: on a signal the workers drain first, the app answering requests
 * meanwhile, then they run and close the server and exit. (`next dev` SIGKILLs its server 100 ms
 * after a signal anyway.)
 */
export function startWorkersInApp(): void {
  if (!env.RUN_WORKER || globalForWorker.emailWorker) return
  const worker = startWorkers()
  globalForWorker.emailWorker = worker
  const next = new Map(STOP_SIGNALS.map((signal) => [signal, process.listeners(signal)]))
  for (const signal of next.keys()) process.removeAllListeners(signal)
  closeOnSignals(worker, (signal) => {
    const listeners = next.get(signal) ?? []
    if (listeners.length === 0) process.exit(0)
    for (const listener of listeners) listener(signal)
  })
  log.info(`workers started: email and reminders (${env.SMTP_URL ? 'SMTP' : `development mailbox: ${env.DEV_MAILBOX_DIR}`})`)
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32)
}

/** Belt and braces: whatever an error message quotes, the code does not reach a log line. */
function redact(message: string, data: QueuedEmailJob): string {
  return data.type === 'verification-code' && data.code ? message.replaceAll(data.code, '[code]') : message
}
