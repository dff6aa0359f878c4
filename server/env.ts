import 'server-only'
import { z } from 'zod'

// `next build` imports server modules to analyse routes; secrets are a run-time matter.
const isBuild = process.env.NEXT_PHASE === 'phase-production-build'
const isProduction = process.env.NODE_ENV === 'production' && !isBuild

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1')
    .default(fallback)

/** `host:port` or `[v6 address]:port`, or null when it is neither. */
function parseNode(text: string): { host: string; port: number } | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([\w.-]+)):(\d{1,5})$/.exec(text)
  const port = Number(match?.[3])
  if (!match || !Number.isInteger(port) || port < 1 || port > 65_535) return null
  return { host: match[1] ?? match[2]!, port }
}

// Validated once, at first import: a bad value fails with a message that names the variable.
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .url({ protocol: /^mysql$/, error: 'must be a mysql:// URL, e.g. mysql://root@127.0.0.1:3306/todo' })
    .default('mysql://root@127.0.0.1:3306/todo'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  AUTH_SECRET: isProduction
    ? z.string({ error: 'is required in production: generate one with `openssl rand -base64 33`' }).min(32, {
        error: 'must be at least 32 characters',
      })
    : z.string().min(1).optional(),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// URL, e.g. redis://127.0.0.1:6379' })
    .default('redis://127.0.0.1:6379'),
  /**
   * A Redis Cluster to use instead of REDIS_URL: some of its nodes as `host:port,host:port,…`
   * (the rest are discovered). Cluster mode has database 0 only.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .trim()
    .transform((value, context) => {
      if (value === '') return undefined
      const nodes = value.split(',').map((part) => parseNode(part.trim()))
      if (nodes.every((node) => node !== null)) return nodes
      context.addIssue({ code: 'custom', message: 'must be host:port,host:port,…, e.g. 127.0.0.1:7001,127.0.0.1:7002' })
      return z.NEVER
    })
    .optional(),
  /**
   * Namespace of this deployment's keys in Redis (cache, codes, queues). Defaults to one derived
   * from the database name, so that two databases sharing a Redis never read each other's entries.
   */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/, { error: 'use 1-64 letters, digits, _ . -' })
    .optional(),
  /** How long a cached todo list lives in Redis, in seconds. */
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** How long an emailed verification code stays valid, in seconds (tests shorten it). */
  OTP_TTL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(180),
  SMTP_URL: isProduction
    ? z.url({ protocol: /^smtps?$/, error: 'is required in production, e.g. smtp://user:pass@mail.example:587' })
    : z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** Where the app is served, for links in emails (reminders link to the list). */
  APP_URL: isProduction
    ? z.url({ protocol: /^https?$/, error: 'is required in production, e.g. https://todos.example.com' })
    : z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('http://localhost:3000'),
  MAIL_FROM: z.string().min(3).default('Todos <no-reply@todos.localhost>'),
  /** Where development mail goes when SMTP_URL is not set (read it at /dev/mailbox). */
  DEV_MAILBOX_DIR: z.string().min(1).default('.dev-mailbox'),
  // Rate limits (docs/security.md): failed log-ins per username and per client address in 15
  // minutes; sign-ups and email-code requests per client address in an hour.
  RATE_LOGIN_FAILURES_PER_USERNAME: z.coerce.number().int().min(1).max(10_000).default(10),
  RATE_LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(100),
  RATE_SIGNUPS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(50),
  RATE_CODE_REQUESTS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Per user: seconds between two email-code requests, and requests in an hour. */
  OTP_RESEND_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  OTP_MAX_PER_HOUR: z.coerce.number().int().min(1).max(1_000).default(5),
  /** How long an emailed password-reset link stays valid, in seconds (tests shorten it). */
  PASSWORD_RESET_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1_800),
  // Password-reset requests in an hour: per address typed and per account (a link is mailed only
  // within both), and, more loosely, per client address. Over a limit the answer stays the same.
  RATE_PASSWORD_RESETS_PER_EMAIL: z.coerce.number().int().min(1).max(1_000).default(3),
  RATE_PASSWORD_RESETS_PER_ACCOUNT: z.coerce.number().int().min(1).max(1_000).default(3),
  RATE_PASSWORD_RESETS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Most todos one account may hold, the trash included (an import that would pass it is refused whole). */
  TODO_LIMIT_PER_USER: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  /** Writes to one account's todos per minute (every API write, page action and import counts one). */
  RATE_WRITES_PER_USER_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  /** How long a trashed todo is kept before the purge deletes it for good, in days (fractions allowed: tests use seconds' worth). */
  TRASH_RETENTION_DAYS: z.coerce.number().positive({ error: 'must be a positive number of days' }).max(3_650).default(30),
  /**
   * Lets a scraper outside this machine read GET /api/metrics with `Authorization: Bearer <token>`;
   * without it only loopback callers may (docs/decisions/0018-observability.md).
   */
  METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** Run the email worker inside this app instance (turn off where workers run separately). */
  RUN_WORKER: flag(true),
  /**
   * Email jobs one worker process sends at once; each holds one pooled SMTP connection while
   * sending (the pool opens as many). Exactly-once does not depend on it: the claim and the "sent"
   * markers do (docs/decisions/0005-email-jobs.md). 16: the bench's 10,000 reminders due at once
   * went out in 40-52 s; with 4, 3,789 within the minute (docs/decisions/0020-worker-concurrency.md).
   */
  EMAIL_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(16),
  /** Reminder-queue jobs (fire triggers, sweeps) one worker process runs at once. */
  REMINDER_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
})

export type Env = Omit<z.infer<typeof EnvSchema>, 'REDIS_PREFIX'> & { REDIS_PREFIX: string }

function loadEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env)
  if (parsed.success) {
    const database = decodeURIComponent(new URL(parsed.data.DATABASE_URL).pathname.slice(1)) || 'todo'
    return { ...parsed.data, REDIS_PREFIX: parsed.data.REDIS_PREFIX ?? `todos-${database}` }
  }
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
  throw new Error(`Invalid environment configuration (see .env.example):\n${lines.join('\n')}`)
}

export const env = loadEnv()
