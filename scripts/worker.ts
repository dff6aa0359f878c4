// npm run worker: the email and reminder workers on their own, for deployments that run workers apart from the app
// (set RUN_WORKER=false on the app instances then). SIGTERM or SIGINT drains it: no new jobs, the
// jobs in flight finish (8 s at most), then exit 0. Configuration as for the app (REDIS_URL,
// SMTP_URL, MAIL_FROM, DEV_MAILBOX_DIR), from the environment, then .env.local, then .env.
//
// Knobs for tests, read here only because they are not app configuration:
//   EMAIL_QUEUE_PREFIX  BullMQ key prefix (default "<REDIS_PREFIX>:bull", "{<REDIS_PREFIX>}:bull" on a Redis Cluster); integration tests use their own
//   WORKER_LOCK_MS      job lock duration (default 30000); short, so a killed worker's job returns soon
//   WORKER_STALLED_MS   how often to look for jobs whose worker died (default 30000)
//   WORKER_BACKOFF_MS   first retry delay (default 2000)
//   REMINDER_SWEEP_MS   how often the reminder sweep runs (default 30000)
//   SUMMARY_SWEEP_MS    how often the morning-summary sweep runs (default 60000)
import { existsSync } from 'node:fs'

for (const file of ['.env.local', '.env']) if (existsSync(file)) process.loadEnvFile(file)

function positiveInteger(name: string): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}"`)
  return value
}

try {
  // Imported only now: server/env.ts validates the environment when it is first imported.
  const { closeOnSignals, startWorkers } = await import('../server/jobs/email-worker')
  const { componentLog } = await import('../server/log')
  const lockDuration = positiveInteger('WORKER_LOCK_MS')
  const stalledInterval = positiveInteger('WORKER_STALLED_MS')
  const worker = startWorkers(
    {
      prefix: process.env.EMAIL_QUEUE_PREFIX || undefined,
      lockDuration,
      stalledInterval,
      backoffDelayMs: positiveInteger('WORKER_BACKOFF_MS'),
    },
    {
      lockDuration,
      stalledInterval,
      sweepEveryMs: positiveInteger('REMINDER_SWEEP_MS'),
      summaryEveryMs: positiveInteger('SUMMARY_SWEEP_MS'),
    },
  )
  closeOnSignals(worker, () => process.exit(0))
  componentLog('email').info(`worker started (pid ${process.pid}); SIGTERM or Ctrl-C stops it after the jobs in flight`)
} catch (error) {
  console.error(`worker: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
