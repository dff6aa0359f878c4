import 'server-only'
import { Redis, type RedisOptions } from 'ioredis'
import { env } from './env'

/**
 * Options for the app's own Redis connection (cache, one-time codes, rate limits): every command
 * fails fast instead of queueing while Redis is away, so a request falls back to MariaDB (or
 * answers 503) within a fraction of a second, and ioredis keeps reconnecting in the background.
 */
export const FAST_FAIL_OPTIONS: RedisOptions = {
  connectTimeout: 500,
  commandTimeout: 300,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
}

const globalForRedis = globalThis as unknown as { redis?: Redis }

function client(): Redis {
  if (globalForRedis.redis) return globalForRedis.redis
  const created = new Redis(env.REDIS_URL, { ...FAST_FAIL_OPTIONS, keyPrefix: `${env.REDIS_PREFIX}:` })
  created.on('error', () => {}) // surfaced through failed commands; see cache.ts and otp.ts
  globalForRedis.redis = created
  return created
}

/**
 * The shared connection, once it is ready. Without an offline queue a command sent while the
 * first connection is still being made would fail, so the first caller waits for it (at most
 * `connectTimeout`); while Redis is down and ioredis is reconnecting, callers do not wait.
 */
export async function redis(): Promise<Redis> {
  const connection = client()
  if (connection.status === 'wait' || connection.status === 'connecting' || connection.status === 'connect') {
    await whenReady(connection, FAST_FAIL_OPTIONS.connectTimeout ?? 500)
  }
  return connection
}

/**
 * Resolves when `connection` is ready, when this attempt fails (Redis is away: do not wait for the
 * next one), or after `timeoutMs`, whichever is first. Never rejects.
 */
export function whenReady(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve()
  const events = ['ready', 'end', 'close', 'error'] as const
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      for (const event of events) connection.off(event, done)
      resolve()
    }
    const timer = setTimeout(done, timeoutMs)
    for (const event of events) connection.once(event, done)
  })
}

/**
 * A new connection for SUBSCRIBE (a subscribed connection can run nothing else). Unlike the fast-fail
 * connection it queues commands while reconnecting and reconnects forever: the live streams
 * (server/live/hub.ts) wait on it, and ioredis subscribes again to every channel when it is back.
 */
export function createSubscriber(): Redis {
  const subscriber = new Redis(env.REDIS_URL, {
    connectTimeout: 1_000,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  })
  subscriber.on('error', () => {}) // the hub listens for 'close' and 'ready'
  return subscriber
}
