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

/** The shared connection. Errors are reported by callers (once), not by an unhandled event. */
export function redis(): Redis {
  if (globalForRedis.redis) return globalForRedis.redis
  const client = new Redis(env.REDIS_URL, { ...FAST_FAIL_OPTIONS, keyPrefix: `${env.REDIS_PREFIX}:` })
  client.on('error', () => {}) // surfaced through failed commands; see cache.ts
  globalForRedis.redis = client
  return client
}
