import 'server-only'
import { Queue, Worker, type Job } from 'bullmq'
import { env } from '../env'
import { createRedis, type RedisTarget } from '../redis'
import { createEmailQueue, defaultQueuePrefix, queueTarget, type EmailQueue } from './email-queue'
import { fireReminder, REMINDER_QUEUE, sweepReminders, type FireJob } from './reminders'
import { sweepSummaries } from './summary'
import { purgeReceipts, RECEIPT_RETENTION_MS } from '../idempotency'
import { purgeExpiredTrash } from '../todos'
import { metrics } from '../metrics'
import { componentLog } from '../log'

const log = componentLog('reminders')

export type ReminderWorkerOptions = {
  /** One Redis server (tests); `redis` wins when both are given. */
  redisUrl?: string
  redis?: RedisTarget
  /** BullMQ key prefix; must match the email queue's and the scheduler's (syncReminder). */
  prefix?: string
  /** How often the reminder sweep runs (a BullMQ job scheduler shared by all workers). */
  sweepEveryMs?: number
  /** How often the morning-summary sweep runs. */
  summaryEveryMs?: number
  /** How often the trash purge runs, and how old (ms) a trashed todo must be to go (TRASH_RETENTION_DAYS). */
  purgeEveryMs?: number
  trashRetentionMs?: number
  /** How often receipts of changes applied once are purged, and how old (ms) one must be to go. */
  receiptPurgeEveryMs?: number
  receiptRetentionMs?: number
  /** Jobs in flight at once (REMINDER_WORKER_CONCURRENCY): each fire is two MariaDB round trips and an enqueue. */
  concurrency?: number
  lockDuration?: number
  stalledInterval?: number
  drainTimeoutMs?: number
}

export type ReminderWorker = { close(): Promise<void> }

type ReminderJobData = FireJob | Record<string, never>

/**
 * Starts the worker of the `reminders` queue: delayed `fire` jobs (one per scheduled reminder,
 * added by syncReminder) and the two sweeps, run by job schedulers that every worker upserts (one
 * schedule per id, however many workers). See docs/decisions/0010-reminders.md.
 */
export function startReminderWorker(options: ReminderWorkerOptions = {}): ReminderWorker {
  const {
    prefix = defaultQueuePrefix(),
    sweepEveryMs = 30_000,
    summaryEveryMs = 60_000,
    purgeEveryMs = 60 * 60_000,
    trashRetentionMs = env.TRASH_RETENTION_DAYS * 24 * 60 * 60_000,
    receiptPurgeEveryMs = 60 * 60_000,
    receiptRetentionMs = RECEIPT_RETENTION_MS,
    lockDuration = 30_000,
    stalledInterval = 30_000,
    drainTimeoutMs = 8_000,
    concurrency = env.REMINDER_WORKER_CONCURRENCY,
  } = options
  const target = queueTarget(options)
  const emailQueue: EmailQueue = createEmailQueue({ redis: target, prefix })
  const connection = createRedis(target, { mode: 'blocking' })
  const schedules = new Queue<ReminderJobData>(REMINDER_QUEUE, { connection, prefix })
  schedules.on('error', () => {})
  const keep = { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } }
  const scheduled = Promise.all([
    schedules.upsertJobScheduler('reminder-sweep', { every: sweepEveryMs }, { name: 'sweep-reminders', opts: keep }),
    schedules.upsertJobScheduler('summary-sweep', { every: summaryEveryMs }, { name: 'sweep-summaries', opts: keep }),
    // Todos trashed longer than the retention are deleted for good, in bounded batches.
    schedules.upsertJobScheduler('trash-purge', { every: purgeEveryMs }, { name: 'purge-trash', opts: keep }),
    // Receipts of changes applied once (server/idempotency.ts) are kept a day.
    schedules.upsertJobScheduler('receipt-purge', { every: receiptPurgeEveryMs }, { name: 'purge-receipts', opts: keep }),
  ]).catch((error) => log.error(`could not set up the sweeps: ${error.message}`))

  async function processJob(job: Job<ReminderJobData>): Promise<string> {
    if (job.name === 'fire') {
      const { todoId, remindAt } = job.data as FireJob
      return fireReminder(emailQueue, todoId, new Date(remindAt))
    }
    if (job.name === 'sweep-reminders') {
      const { fired, recovered } = await sweepReminders(emailQueue)
      return `fired ${fired}, handed over again ${recovered}`
    }
    if (job.name === 'sweep-summaries') return `queued ${await sweepSummaries(emailQueue)}`
    if (job.name === 'purge-trash') return `purged ${await purgeExpiredTrash(new Date(Date.now() - trashRetentionMs))}`
    if (job.name === 'purge-receipts') return `purged receipts ${await purgeReceipts(new Date(Date.now() - receiptRetentionMs))}`
    return 'unknown job'
  }

  const worker = new Worker<ReminderJobData, string>(REMINDER_QUEUE, processJob, {
    connection,
    prefix,
    concurrency,
    lockDuration,
    stalledInterval,
  })
  worker.on('completed', (job, result) => {
    if (job.name === 'fire' || !result.startsWith('fired 0, handed over again 0') && result !== 'queued 0' && result !== 'purged 0' && result !== 'purged receipts 0') {
      log.info(`job ${job.id} (${job.name}): ${result}`)
    }
  })
  worker.on('failed', (job, error) => {
    metrics.jobsFailed.inc({ queue: REMINDER_QUEUE, final: String(job?.finishedOn !== undefined) })
    log.warn(`job ${job?.id ?? '?'} (${job?.name}) failed: ${error.message}`)
  })
  let lastError = ''
  worker.on('error', (error) => {
    if (error.message === lastError) return
    lastError = error.message
    log.error(`worker error: ${error.message}`)
  })

  let closing: Promise<void> | undefined
  return {
    close() {
      closing ??= (async () => {
        await scheduled
        let timer: NodeJS.Timeout | undefined
        await Promise.race([
          worker.close(),
          new Promise((resolve) => (timer = setTimeout(resolve, drainTimeoutMs))),
        ])
        clearTimeout(timer)
        await schedules.close().catch(() => {})
        await emailQueue.close()
        connection.disconnect()
      })()
      return closing
    },
  }
}
