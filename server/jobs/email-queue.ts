import 'server-only'
import { Queue, type JobsOptions } from 'bullmq'
import type { Locale } from '@/lib/i18n/preferences'
import { env } from '../env'
import { createRedis, defaultTarget, isCluster, type RedisClient, type RedisTarget } from '../redis'

type EmailContent =
  | { type: 'verification-code'; to: string; username: string; code: string }
  | { type: 'email-verified'; to: string; username: string }
  // Dates as ISO strings (job data is JSON). remindAt names the scheduled reminder this email is
  // for: the worker checks it against MariaDB before sending and records it after (reminders.ts).
  | {
      type: 'reminder'
      to: string
      username: string
      todoId: number
      remindAt: string
      contents: string
      dueAt: string | null
      timeZone: string
    }
  | {
      type: 'summary'
      to: string
      username: string
      items: { contents: string; dueAt: string; overdue: boolean }[]
      total: number
      timeZone: string
    }
  // A reset link asked for on the forgot-password page or the API: `to` is the address as typed,
  // not yet known to be anyone's. The worker looks it up and, for a verified account within its
  // limit, issues the token and sends the link (server/password-reset.ts); otherwise it sends
  // nothing. So the token never sits in Redis, in a job or in a log line, and the request costs
  // the same whoever the address belongs to. `locale` is the page's language, for an account that
  // has not chosen one.
  | { type: 'password-reset'; to: string }
  | { type: 'password-changed'; to: string; username: string }

/**
 * An email to send. `to` must already be validated: it is used as one address. `locale` is the
 * language it is written in, decided when it is queued (the recipient's saved language, else the
 * one they were using), so the worker needs no request to know it.
 */
export type EmailJob = EmailContent & { locale: Locale }

/** What the worker may find in the queue: jobs queued before emails had languages carry none. */
export type QueuedEmailJob = EmailContent & { locale?: unknown }

export const EMAIL_QUEUE = 'email'
/**
 * BullMQ's key prefix: inside this deployment's namespace (REDIS_PREFIX), like every other key, so
 * two deployments sharing a Redis never take each other's jobs. Tests pass their own. On a Redis
 * Cluster it is a hash tag (`{<REDIS_PREFIX>}:bull`), as BullMQ requires: its scripts touch many
 * keys of a queue at once, so they all live in one slot. One Redis keeps the plain prefix, so
 * jobs already queued are still found after an upgrade.
 */
export function defaultQueuePrefix(): string {
  return bullPrefix(env.REDIS_PREFIX, isCluster())
}

/** The BullMQ prefix for a namespace, braced on a cluster. */
export function bullPrefix(namespace: string, cluster: boolean): string {
  return cluster ? `{${namespace}}:bull` : `${namespace}:bull`
}

/** Where the queues are: `redis` if given, else `redisUrl` (one server), else the deployment's. */
export function queueTarget(options: { redis?: RedisTarget; redisUrl?: string }): RedisTarget {
  return options.redis ?? (options.redisUrl ? { url: options.redisUrl } : defaultTarget())
}
/** The worker's retry delays are computed by this strategy (see email-worker.ts). */
export const EMAIL_BACKOFF = 'email-exponential'
/** How long a job id keeps deduplicating: a completed job and its "sent" marker live this long. */
export const DEDUPE_SECONDS = 24 * 60 * 60

/**
 * 6 attempts with delays of about 2, 4, 8, 16 and 32 s (about a minute in all, within a code's
 * validity). Completed jobs stay a day, so adding the same job id again in that time is a no-op;
 * failed jobs stay a week (at most 1,000) for inspection. BullMQ prunes both when later jobs finish.
 */
export const EMAIL_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: EMAIL_BACKOFF },
  removeOnComplete: { age: DEDUPE_SECONDS },
  removeOnFail: { age: 7 * 24 * 60 * 60, count: 1_000 },
} satisfies JobsOptions

/** The BullMQ job id for a caller's id: BullMQ refuses integer ids and most ids with ':'. */
export function bullJobId(type: EmailJob['type'], jobId: string): string {
  if (jobId.length === 0 || jobId.length > 200) throw new TypeError('email job id must be 1 to 200 characters')
  return `${type}.${jobId.replaceAll('%', '%25').replaceAll(':', '%3A')}`
}

export type EmailQueue = {
  enqueue(job: EmailJob, jobId: string): Promise<void>
  close(): Promise<void>
}

export type EmailQueueOptions = {
  /** One Redis server (tests); `redis` wins when both are given. */
  redisUrl?: string
  redis?: RedisTarget
  prefix?: string
  /** Upper bound for one enqueue, connecting included. */
  timeoutMs?: number
}

/** A queue with its own Redis connection; the app uses one, tests build isolated ones. */
export function createEmailQueue(options: EmailQueueOptions = {}): EmailQueue {
  const { prefix = defaultQueuePrefix(), timeoutMs = 1_000 } = options
  // Fail fast: no offline queue and no per-command retries, so an add either reaches Redis now or
  // fails now; it never waits in memory to happen after the caller has already answered 503.
  const connection = createRedis(queueTarget(options), { commandTimeout: timeoutMs })
  connection.on('error', () => {}) // reported by enqueue() failing, which the caller turns into a 503
  const queue = new Queue<EmailJob>(EMAIL_QUEUE, { connection, prefix })
  queue.on('error', () => {})

  return {
    async enqueue(job, jobId) {
      const id = bullJobId(job.type, jobId)
      const deadline = Date.now() + timeoutMs
      await whenReady(connection, timeoutMs)
      const added = queue.add(job.type, job, { ...EMAIL_JOB_OPTIONS, jobId: id })
      await withDeadline(added, deadline - Date.now())
    },
    async close() {
      await queue.close().catch(() => {})
      connection.disconnect()
    },
  }
}

const globalForQueue = globalThis as unknown as { emailQueue?: EmailQueue }

/**
 * Queues an email for the worker and returns at once; SMTP happens later, with retries. The same
 * `jobId` (per type) sends one email however often it is enqueued within a day, so callers retry
 * freely. The id is logged: derive it from ids and nonces, never from the code. Throws within about
 * a second when Redis is unreachable.
 */
export async function enqueueEmail(job: EmailJob, jobId: string): Promise<void> {
  globalForQueue.emailQueue ??= createEmailQueue()
  await globalForQueue.emailQueue.enqueue(job, jobId)
}

/** Redis could not take the job in time: answer 503, the user can try again. */
export class EmailQueueUnavailableError extends Error {
  override name = 'EmailQueueUnavailableError'
}

function whenReady(connection: RedisClient, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      connection.off('ready', onReady)
      reject(new EmailQueueUnavailableError(`email queue: Redis is not reachable (waited ${timeoutMs} ms)`))
    }, timeoutMs)
    connection.once('ready', onReady)
  })
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new EmailQueueUnavailableError('email queue: Redis did not answer in time')),
      Math.max(ms, 0),
    )
  })
  promise.catch(() => {}) // once the deadline has passed, a late failure has no one to tell
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
