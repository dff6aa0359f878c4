import 'server-only'
import { and, eq, gt, isNotNull, isNull, lte, ne, or, sql } from 'drizzle-orm'
import { Queue, type JobsOptions } from 'bullmq'
import { todo, user } from '@/db/schema'
import { DEFAULT_LOCALE, isLocale } from '@/lib/i18n/preferences'
import { db } from '../db'
import { createRedis, type RedisClient } from '../redis'
import { live } from '../todo-scope'
import { defaultQueuePrefix, type EmailJob, type EmailQueue } from './email-queue'
import { componentLog } from '../log'

const log = componentLog('reminders')

// Reminders: MariaDB is the record of what is due (todo.remind_at) and of what was handed to the
// email queue and sent (reminder_queued_for, reminder_sent_for); BullMQ delayed jobs on the
// `reminders` queue are only the trigger, and a sweep (a job scheduler) sends what a lost trigger
// missed. See docs/decisions/0010-reminders.md.

export const REMINDER_QUEUE = 'reminders'
/** A sweep looks this far back: a reminder missed for longer than a day is no longer worth sending. */
export const REMINDER_HORIZON_MS = 24 * 60 * 60 * 1_000
/** A reminder handed to the email queue but still not sent after this long is handed over again. */
export const REMINDER_RECOVER_AFTER_MS = 2 * 60 * 1_000

/** The trigger's job id: a reschedule is a new id, so the old job finds a mismatch and does nothing. */
export function fireJobId(todoId: number, remindAt: Date): string {
  return `fire.${todoId}.${remindAt.getTime()}`
}
/** The email's job id (per type, see bullJobId): one email per scheduled reminder. */
export function reminderEmailId(todoId: number, remindAt: Date): string {
  return `${todoId}-${remindAt.getTime()}`
}

export const FIRE_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 60 * 60 },
  removeOnFail: { age: 7 * 24 * 60 * 60, count: 1_000 },
} satisfies JobsOptions

export type FireJob = { todoId: number; remindAt: number }

// --- Scheduling, called by the data layer after writes ---------------------------------------------

type Scheduler = { queue: Queue<FireJob>; connection: RedisClient }
const globalForReminders = globalThis as unknown as { reminderScheduler?: Scheduler }

function scheduler(): Scheduler {
  if (globalForReminders.reminderScheduler) return globalForReminders.reminderScheduler
  // Fail fast, like the email queue: a write never waits for Redis; the sweep catches up.
  const connection = createRedis(undefined, { commandTimeout: 1_000 })
  connection.on('error', () => {})
  const queue = new Queue<FireJob>(REMINDER_QUEUE, { connection, prefix: defaultQueuePrefix() })
  queue.on('error', () => {})
  globalForReminders.reminderScheduler = { queue, connection }
  return globalForReminders.reminderScheduler
}

/**
 * (Re)schedules the reminder of one todo from what MariaDB holds now: a delayed job at remind_at,
 * unless it is cleared, done, deleted or already handed over. Nothing to cancel: a job scheduled
 * for an earlier state finds the mismatch when it fires and does nothing. Idempotent; never
 * throws (Redis down: logged, and the sweep sends it on time anyway, within its interval).
 */
export async function syncReminder(todoId: number): Promise<void> {
  await syncReminders([todoId])
}

/** syncReminder for several todos (setAllDone, clearCompleted). */
export async function syncReminders(todoIds: readonly number[]): Promise<void> {
  if (todoIds.length === 0) return
  try {
    const rows = await db
      .select({ id: todo.id, remindAt: todo.remindAt, isDone: todo.isDone, queuedFor: todo.reminderQueuedFor })
      .from(todo)
      // A trashed todo gets no trigger; restoring it calls this again, which schedules one if still ahead.
      .where(and(sql`${todo.id} in (${sql.join(todoIds.map((id) => sql`${id}`), sql`, `)})`, live()))
    const due = rows.filter(
      (row): row is typeof row & { remindAt: Date } =>
        row.remindAt !== null && !row.isDone && row.queuedFor?.getTime() !== row.remindAt.getTime(),
    )
    if (due.length === 0) return
    const { queue, connection } = scheduler()
    await withDeadline(
      (async () => {
        if (connection.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 0))
        await queue.addBulk(
          due.map((row) => ({
            name: 'fire',
            data: { todoId: row.id, remindAt: row.remindAt.getTime() },
            opts: { ...FIRE_JOB_OPTIONS, jobId: fireJobId(row.id, row.remindAt), delay: Math.max(0, row.remindAt.getTime() - Date.now()) },
          })),
        )
      })(),
      1_500,
    )
  } catch (error) {
    log.warn(`could not schedule (the sweep will send on time): ${error instanceof Error ? error.message : error}`)
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  promise.catch(() => {})
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

// --- Firing: claim in MariaDB, hand to the email queue ---------------------------------------------

const reminderColumns = {
  id: todo.id,
  contents: todo.contents,
  isDone: todo.isDone,
  dueAt: todo.dueAt,
  remindAt: todo.remindAt,
  queuedFor: todo.reminderQueuedFor,
  sentFor: todo.reminderSentFor,
  username: user.username,
  email: user.email,
  emailVerifiedAt: user.emailVerifiedAt,
  locale: user.locale,
  timeZone: user.timeZone,
  deletedAt: todo.deletedAt,
}
type ReminderRow = { [K in keyof typeof reminderColumns]: (typeof reminderColumns)[K]['_']['data'] | null }

function emailFor(row: ReminderRow & { remindAt: Date; email: string }): EmailJob {
  return {
    type: 'reminder',
    to: row.email,
    username: row.username ?? '',
    locale: isLocale(row.locale) ? row.locale : DEFAULT_LOCALE,
    todoId: row.id!,
    remindAt: row.remindAt.toISOString(),
    contents: row.contents ?? '',
    dueAt: row.dueAt?.toISOString() ?? null,
    timeZone: row.timeZone ?? 'UTC',
  }
}

export type FireOutcome = 'queued' | 'gone' | 'rescheduled' | 'done' | 'no verified email' | 'already queued'

/**
 * The reminder of `todoId` scheduled for `remindAt` is due: if it still is (same remind_at, not
 * done, a verified owner), claim it with one conditional UPDATE (the one caller that changes the
 * row wins, whether a trigger job, a retry or a sweep) and hand the email to the email queue
 * under an id derived from the reminder, so the email worker sends it once.
 */
export async function fireReminder(emailQueue: EmailQueue, todoId: number, remindAt: Date): Promise<FireOutcome> {
  const [row] = await db
    .select(reminderColumns)
    .from(todo)
    .innerJoin(user, eq(user.id, todo.userId))
    .where(eq(todo.id, todoId))
    .limit(1)
  if (!row || row.deletedAt) return 'gone' // deleted, or in the trash
  if (row.remindAt?.getTime() !== remindAt.getTime()) return 'rescheduled'
  if (row.isDone) return 'done'
  if (!row.email || !row.emailVerifiedAt) return 'no verified email'
  if (row.queuedFor?.getTime() === remindAt.getTime()) return 'already queued'

  const [claim] = await db
    .update(todo)
    .set({ reminderQueuedFor: remindAt })
    .where(
      and(
        eq(todo.id, todoId),
        eq(todo.remindAt, remindAt),
        eq(todo.isDone, false),
        live(),
        or(isNull(todo.reminderQueuedFor), ne(todo.reminderQueuedFor, remindAt)),
      ),
    )
  if (claim.affectedRows !== 1) return 'already queued'
  try {
    await emailQueue.enqueue(emailFor({ ...row, remindAt, email: row.email }), reminderEmailId(todoId, remindAt))
  } catch (error) {
    // Give the claim back so the retry (or the sweep) claims and enqueues again; a job that did
    // reach Redis despite the error is deduplicated by its id.
    await db
      .update(todo)
      .set({ reminderQueuedFor: null })
      .where(and(eq(todo.id, todoId), eq(todo.reminderQueuedFor, remindAt)))
      .catch(() => {})
    throw error
  }
  return 'queued'
}

/**
 * What a sweep does: fires every reminder whose time has passed (within the last day) and that
 * no one claimed, e.g. because Redis lost its delayed job; and hands over again every claimed one
 * still unsent after REMINDER_RECOVER_AFTER_MS (a crash between claim and enqueue, or Redis lost
 * the email job): the same email id, so the email queue ignores it while it still has that job.
 */
export async function sweepReminders(emailQueue: EmailQueue, now = new Date()): Promise<{ fired: number; recovered: number }> {
  const since = new Date(now.getTime() - REMINDER_HORIZON_MS)
  const verified = and(isNotNull(user.email), isNotNull(user.emailVerifiedAt), eq(todo.isDone, false), live())
  const unclaimed = await db
    .select({ id: todo.id, remindAt: todo.remindAt })
    .from(todo)
    .innerJoin(user, eq(user.id, todo.userId))
    .where(
      and(
        lte(todo.remindAt, now),
        gt(todo.remindAt, since),
        or(isNull(todo.reminderQueuedFor), ne(todo.reminderQueuedFor, todo.remindAt)),
        verified,
      ),
    )
    .limit(500)
  let fired = 0
  for (const row of unclaimed) {
    if ((await fireReminder(emailQueue, row.id, row.remindAt!)) === 'queued') fired++
  }

  const stale = await db
    .select(reminderColumns)
    .from(todo)
    .innerJoin(user, eq(user.id, todo.userId))
    .where(
      and(
        lte(todo.remindAt, new Date(now.getTime() - REMINDER_RECOVER_AFTER_MS)),
        gt(todo.remindAt, since),
        eq(todo.reminderQueuedFor, todo.remindAt),
        or(isNull(todo.reminderSentFor), ne(todo.reminderSentFor, todo.remindAt)),
        verified,
      ),
    )
    .limit(500)
  for (const row of stale) {
    await emailQueue.enqueue(emailFor({ ...row, remindAt: row.remindAt!, email: row.email! }), reminderEmailId(row.id!, row.remindAt!))
  }
  return { fired, recovered: stale.length }
}

/**
 * Asked by the email worker just before it sends a reminder: 'send' while the reminder is still
 * the one claimed and unsent, 'sent' when MariaDB says it went out already (Redis lost the "sent"
 * marker), 'cancelled' when the todo changed, was done or deleted, or its owner lost the address.
 */
export async function reminderSendState(job: { todoId: number; remindAt: string; to: string }): Promise<'send' | 'sent' | 'cancelled'> {
  const remindAt = new Date(job.remindAt)
  const [row] = await db
    .select(reminderColumns)
    .from(todo)
    .innerJoin(user, eq(user.id, todo.userId))
    .where(eq(todo.id, job.todoId))
    .limit(1)
  if (!row || row.deletedAt || row.remindAt?.getTime() !== remindAt.getTime()) return 'cancelled'
  if (row.sentFor?.getTime() === remindAt.getTime()) return 'sent'
  if (row.isDone || row.email !== job.to || !row.emailVerifiedAt) return 'cancelled'
  return 'send'
}

/** Records, after SMTP accepted it, that this reminder was sent. */
export async function markReminderSent(job: { todoId: number; remindAt: string }): Promise<void> {
  await db
    .update(todo)
    .set({ reminderSentFor: new Date(job.remindAt) })
    .where(eq(todo.id, job.todoId))
}
