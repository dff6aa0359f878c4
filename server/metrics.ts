import 'server-only'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { routeMatcher } from '@/lib/route-pattern'
import { userCache } from './cache'
import { env } from './env'
import { defaultQueuePrefix, EMAIL_QUEUE } from './jobs/email-queue'
import { LIVE_EVENTS_PATH } from './live/address'
import { FAST_FAIL_OPTIONS } from './redis'

// This instance's metrics, in Prometheus' text format at GET /api/metrics. Everything lives on one
// registry kept on globalThis: server.mjs (which times every request) and the Next bundle (which
// counts the rest) run in one process but load modules separately, and the instrumentation hook
// and the route handlers may each get their own copy of this module.
// See docs/decisions/0018-observability.md.

const REMINDER_QUEUE = 'reminders' // as server/jobs/reminders.ts, not imported: it pulls in the data layer
const QUEUES = [EMAIL_QUEUE, REMINDER_QUEUE] as const
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

function createMetrics() {
  const registry = new Registry()
  // Node's own (process_cpu_seconds_total, nodejs_heap_size_used_bytes, event loop lag…), under
  // their usual names so that existing dashboards read them.
  collectDefaultMetrics({ register: registry })
  const registers = [registry]

  const httpRequests = new Counter({
    name: 'todos_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  })
  const httpDuration = new Histogram({
    name: 'todos_http_request_duration_seconds',
    help: 'Time from a request arriving to its response being written, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })

  // The cache counts in its own stats (server/cache.ts); these follow them at each scrape.
  let seen = { hits: 0, misses: 0, errors: 0 }
  const follow = () => {
    const now = userCache.stats()
    cacheHits.inc(Math.max(0, now.hits - seen.hits))
    cacheMisses.inc(Math.max(0, now.misses - seen.misses))
    redisErrors.inc({ source: 'cache' }, Math.max(0, now.errors - seen.errors))
    redisUp.set(now.redisUp ? 1 : 0)
    seen = { hits: now.hits, misses: now.misses, errors: now.errors }
  }
  // follow() runs when this, the first of the cache's metrics, is collected (a scrape goes in
  // registration order), so the others are written out fresh too.
  const cacheHits = new Counter({ name: 'todos_cache_hits_total', help: 'Per-user cache reads answered from Redis.', registers, collect: follow })
  const cacheMisses = new Counter({
    name: 'todos_cache_misses_total',
    help: 'Per-user cache reads that went to MariaDB (Redis answered, nothing cached).',
    registers,
  })
  const redisErrors = new Counter({
    name: 'todos_redis_errors_total',
    help: 'Redis commands that failed or timed out, by what sent them.',
    labelNames: ['source'] as const,
    registers,
  })
  const redisUp = new Gauge({ name: 'todos_cache_redis_up', help: '1 while the cache reaches Redis, 0 while it serves from MariaDB alone.', registers })

  const databaseRetries = new Counter({
    name: 'todos_database_retries_total',
    help: 'Transactions repeated after a deadlock or a Galera certification conflict (error 1213).',
    registers,
  })
  const databaseErrors = new Counter({
    name: 'todos_database_errors_total',
    help: 'Data-layer calls that failed in MariaDB: unreachable, no answer in time, or a failed query.',
    labelNames: ['kind'] as const,
    registers,
  })

  let queues: Map<string, Queue> | undefined
  const queueJobs = new Gauge({
    name: 'todos_queue_jobs',
    help: 'Jobs in each BullMQ queue by state (failed: kept for inspection), read from Redis at each scrape.',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset()
      queues ??= new Map(
        QUEUES.map((name) => {
          const connection = new Redis(env.REDIS_URL, FAST_FAIL_OPTIONS)
          connection.on('error', () => {})
          const queue = new Queue(name, { connection, prefix: defaultQueuePrefix() })
          queue.on('error', () => {})
          return [name, queue]
        }),
      )
      await Promise.all(
        [...queues].map(async ([name, queue]) => {
          try {
            const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), 500)
            for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0)
          } catch {
            redisErrors.inc({ source: 'metrics' }) // the series stay absent: unknown, not zero
          }
        }),
      )
    },
  })
  const jobsFailed = new Counter({
    name: 'todos_jobs_failed_total',
    help: 'Job attempts that failed in this instance’s workers, by queue and whether they will be retried.',
    labelNames: ['queue', 'final'] as const,
    registers,
  })
  const reminderLag = new Histogram({
    name: 'todos_reminder_lag_seconds',
    help: 'How long after its remind_at a reminder email was accepted by SMTP.',
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3_600, 21_600],
    registers,
  })
  const liveStreams = new Gauge({ name: 'todos_live_streams', help: 'Live-update streams (Server-Sent Events) open now.', registers })
  const liveEvents = new Counter({
    name: 'todos_live_events_total',
    help: 'Live-update events sent to open streams.',
    registers,
  })

  let routeOf: ((pathname: string) => string) | undefined
  /** Called by server.mjs when a response is done. */
  function observeRequest(method: string, pathname: string, status: number, seconds: number) {
    routeOf ??= routeMatcher(appRoutes())
    const route = routeOf(pathname)
    const verb = METHODS.has(method) ? method : 'other'
    httpRequests.inc({ method: verb, route, status: String(status) })
    httpDuration.observe({ method: verb, route }, seconds)
  }

  return {
    registry,
    httpRequests,
    httpDuration,
    databaseErrors,
    databaseRetries,
    queueJobs,
    jobsFailed,
    reminderLag,
    liveStreams,
    liveEvents,
    observeRequest,
  }
}

/** The app's routes as Next built them (`/api/todos/[id]`); none under `next dev`, where paths group as "unmatched". */
function appRoutes(): string[] {
  try {
    const manifest = JSON.parse(readFileSync(join(process.cwd(), '.next', 'app-path-routes-manifest.json'), 'utf8')) as Record<string, string>
    // The live stream is served by server.mjs, not by a route (server/live/serve.ts).
    return [...new Set([...Object.values(manifest), LIVE_EVENTS_PATH])]
  } catch {
    return []
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    work,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer))
}

export type Metrics = ReturnType<typeof createMetrics>

// server.mjs finds the metrics here (it cannot import TypeScript).
const KEY = Symbol.for('todos.metrics')
const globalForMetrics = globalThis as unknown as Record<symbol, Metrics | undefined>

/** The process's metrics. */
export const metrics: Metrics = (globalForMetrics[KEY] ??= createMetrics())

/** Open live streams: inc() when one opens, dec() when it closes. */
export const liveStreams: Gauge = metrics.liveStreams
/** Events written to live streams. */
export const liveEvents: Counter = metrics.liveEvents
