import 'server-only'
import type { Redis } from 'ioredis'
import { keys } from './redis-keys'
import { env } from './env'
import { redis } from './redis'
import { componentLog } from './log'

const log = componentLog('cache')

/** How long the version and epoch counters live; longer than any cached view, so a reset is harmless. */
const COUNTER_TTL_SECONDS = 7 * 24 * 60 * 60

export type CacheStats = { hits: number; misses: number; errors: number; redisUp: boolean }

// One round trip per read: the epoch and the user's version, then the view under both. The view's key
// comes as a template from keys.userView (its shape lives there only) with `{epoch}` and `{version}`
// to fill in. It is not declared in KEYS: fine on one Redis, not on a Redis Cluster.
const READ_VIEW_SCRIPT = `
local epoch = redis.call('GET', KEYS[1]) or '0'
local version = redis.call('GET', KEYS[2]) or '0'
local key = string.gsub(string.gsub(ARGV[1], '{epoch}', epoch, 1), '{version}', version, 1)
return {key, redis.call('GET', ARGV[2] .. key)}
`
type ViewReader = {
  readUserView(epochKey: string, versionKey: string, template: string, prefix: string): Promise<[string, string | null]>
}

/** The script as a command of this connection (EVALSHA, falling back to EVAL once per connection). */
function withViewReader(redis: Redis): Redis & ViewReader {
  if (!('readUserView' in redis)) redis.defineCommand('readUserView', { numberOfKeys: 2, lua: READ_VIEW_SCRIPT })
  return redis as Redis & ViewReader
}

/**
 * Cache-aside for what each request reads about one user (their todo lists, and the record that
 * decides whether their session is still valid), with versioned keys for read-your-writes: a read
 * looks up the user's version and reads `view:<epoch>:<user>:<version>:<view>` (one round trip);
 * every write to the user's todos or sessions bumps the version before it answers. A slow reader
 * that loaded an old view can only store it under the old version, which nobody reads again. If
 * Redis is unreachable when a write should bump the version, the cache bumps a global epoch as soon
 * as Redis answers again (before this instance reads anything), voiding every entry.
 * Redis down or slow: reads and writes go to MariaDB alone (commands fail within ~300 ms).
 */
export function createUserCache(client: () => Redis | Promise<Redis>, ttlSeconds: number) {
  const stats: CacheStats = { hits: 0, misses: 0, errors: 0, redisUp: true }
  let missedInvalidation = false
  const watched = new WeakSet<Redis>()

  /** The client, watched so that a reconnection voids possibly stale entries even before the next request. */
  async function connection(): Promise<Redis & ViewReader> {
    const redis = withViewReader(await client())
    if (!watched.has(redis)) {
      watched.add(redis)
      redis.on('ready', () => void recovered(redis).catch(() => {}))
    }
    return redis
  }

  function failed(error: unknown) {
    stats.errors++
    if (stats.redisUp) {
      stats.redisUp = false
      log.warn(`Redis unavailable, serving from the database: ${(error as Error).message ?? error}`)
    }
  }

  /** Called after each successful Redis command: notices the recovery and voids what may be stale. */
  async function recovered(redis: Redis) {
    if (stats.redisUp && !missedInvalidation) return
    if (missedInvalidation) {
      await redis.multi().incr(keys.cacheEpoch()).expire(keys.cacheEpoch(), COUNTER_TTL_SECONDS).exec()
      missedInvalidation = false
    }
    if (!stats.redisUp) log.info('Redis is back; caching again')
    stats.redisUp = true
  }

  return {
    stats: (): CacheStats => ({ ...stats }),

    /** The cached value of `view` for this user, or `load()`'s (stored for next time unless null). */
    async read<T>(userId: number, view: string, load: () => Promise<T>): Promise<T> {
      let key: string
      let redis: Redis & ViewReader
      try {
        redis = await connection()
        // A write this instance could not void: the epoch moves on before anything is read.
        if (missedInvalidation) await recovered(redis)
        const template = keys.userView('{epoch}', userId, '{version}', view)
        const [found, hit] = await redis.readUserView(
          keys.cacheEpoch(),
          keys.userVersion(userId),
          template,
          redis.options.keyPrefix ?? '',
        )
        await recovered(redis)
        key = found
        if (hit !== null) {
          stats.hits++
          return JSON.parse(hit) as T
        }
        stats.misses++
      } catch (error) {
        failed(error)
        return load()
      }
      const value = await load()
      if (value !== null) {
        // Not awaited: the reader has its answer; a lost SET only costs a later miss.
        redis.set(key, JSON.stringify(value), 'EX', ttlSeconds).catch(failed)
      }
      return value
    },

    /** Voids the user's cached views. Call after every write to their todos or sessions, before answering. */
    async invalidate(userId: number): Promise<void> {
      try {
        const redis = await connection()
        await redis.multi().incr(keys.userVersion(userId)).expire(keys.userVersion(userId), COUNTER_TTL_SECONDS).exec()
        await recovered(redis)
      } catch (error) {
        missedInvalidation = true
        failed(error)
      }
    },
  }
}

export type UserCache = ReturnType<typeof createUserCache>

const globalForCache = globalThis as unknown as { userCache?: UserCache }

/** The app's per-user cache (one per process). */
export const userCache: UserCache = (globalForCache.userCache ??= createUserCache(redis, env.CACHE_TTL_SECONDS))
