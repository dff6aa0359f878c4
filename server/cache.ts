import 'server-only'
import { keys } from './redis-keys'
import { env } from './env'
import { redis, type RedisClient } from './redis'

/** How long the version and epoch counters live; longer than any cached view, so a reset is harmless. */
const COUNTER_TTL_SECONDS = 7 * 24 * 60 * 60

export type CacheStats = { hits: number; misses: number; errors: number; redisUp: boolean }

// One round trip per read: the user's version and the view, both declared and in the user's slot
// (keys.ts: `{u:<id>}`), so the script runs on a Redis Cluster too. A view is stored stamped with the
// epoch and version it was loaded under (`<epoch>.<version>|<json>`); the reader compares the stamp.
const READ_VIEW_SCRIPT = `
return {redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2])}
`
type ViewReader = {
  readUserView(versionKey: string, viewKey: string): Promise<[string, string | null]>
}

/** The script as a command of this connection (EVALSHA, falling back to EVAL once per connection). */
function withViewReader(redis: RedisClient): RedisClient & ViewReader {
  if (!('readUserView' in redis)) redis.defineCommand('readUserView', { numberOfKeys: 2, lua: READ_VIEW_SCRIPT })
  return redis as RedisClient & ViewReader
}

export type UserCacheOptions = {
  /** Users whose invalidation this instance missed and remembers, to bump when Redis is back; past it, the epoch moves. */
  maxMissed?: number
  /** How long this instance trusts the epoch it last read before reading it again. */
  epochRefreshMs?: number
}

/**
 * Cache-aside for what each request reads about one user (their todo lists, and the record that
 * decides whether their session is still valid), with versioned entries for read-your-writes: a
 * read looks up the user's version and the view together (one round trip) and uses the view only
 * if it was stored under that version; every write to the user's todos or sessions bumps the
 * version before it answers. A slow reader that loaded an old view can only store it stamped with
 * the old version, which no reader accepts again. If Redis is unreachable when a write should bump
 * the version, the cache remembers the user and bumps their version as soon as Redis answers again
 * (before this instance reads anything); an instance that missed more users than it can remember
 * bumps a global epoch instead, which every instance reads at most `epochRefreshMs` apart and
 * which voids every entry stamped with an older one.
 * Redis down or slow: reads and writes go to MariaDB alone (commands fail within ~300 ms).
 */
export function createUserCache(
  client: () => RedisClient | Promise<RedisClient>,
  ttlSeconds: number,
  { maxMissed = 10_000, epochRefreshMs = 1_000 }: UserCacheOptions = {},
) {
  const stats: CacheStats = { hits: 0, misses: 0, errors: 0, redisUp: true }
  const missed = new Set<number>()
  let missedTooMany = false
  let epoch = { value: '0', readAt: -Infinity }
  const watched = new WeakSet<RedisClient>()

  /** The client, watched so that a reconnection voids possibly stale entries even before the next request. */
  async function connection(): Promise<RedisClient & ViewReader> {
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
      console.warn(`[cache] Redis unavailable, serving from the database: ${(error as Error).message ?? error}`)
    }
  }

  /** The user's version moves on: views stored under older versions are never read again. */
  async function bumpVersion(redis: RedisClient, userId: number): Promise<void> {
    await redis.multi().incr(keys.userVersion(userId)).expire(keys.userVersion(userId), COUNTER_TTL_SECONDS).exec()
  }

  /** The global epoch, read again when older than `epochRefreshMs` (a key of its own slot: never in a script). */
  async function currentEpoch(redis: RedisClient): Promise<string> {
    if (performance.now() - epoch.readAt >= epochRefreshMs) {
      const readAt = performance.now()
      epoch = { value: (await redis.get(keys.cacheEpoch())) ?? '0', readAt }
    }
    return epoch.value
  }

  /** Called after each successful Redis command: notices the recovery and voids what may be stale. */
  async function recovered(redis: RedisClient) {
    if (stats.redisUp && missed.size === 0 && !missedTooMany) return
    if (missedTooMany) {
      await redis.multi().incr(keys.cacheEpoch()).expire(keys.cacheEpoch(), COUNTER_TTL_SECONDS).exec()
      epoch.readAt = -Infinity
      missedTooMany = false
    }
    // One command per user: on a cluster their keys live in different slots.
    for (const userId of [...missed]) {
      await bumpVersion(redis, userId)
      missed.delete(userId)
    }
    if (!stats.redisUp) console.info('[cache] Redis is back; caching again')
    stats.redisUp = true
  }

  return {
    stats: (): CacheStats => ({ ...stats }),

    /** The cached value of `view` for this user, or `load()`'s (stored for next time unless null). */
    async read<T>(userId: number, view: string, load: () => Promise<T>): Promise<T> {
      const key = keys.userView(userId, view)
      let stamp: string
      let redis: RedisClient & ViewReader
      try {
        redis = await connection()
        // Writes this instance could not void: the versions move on before anything is read.
        if (missed.size > 0 || missedTooMany) await recovered(redis)
        const currentEpochValue = await currentEpoch(redis)
        const [version, hit] = await redis.readUserView(keys.userVersion(userId), key)
        await recovered(redis)
        stamp = `${currentEpochValue}.${version}|`
        if (hit?.startsWith(stamp)) {
          stats.hits++
          return JSON.parse(hit.slice(stamp.length)) as T
        }
        stats.misses++
      } catch (error) {
        failed(error)
        return load()
      }
      const value = await load()
      if (value !== null) {
        // Not awaited: the reader has its answer; a lost SET only costs a later miss.
        redis.set(key, stamp + JSON.stringify(value), 'EX', ttlSeconds).catch(failed)
      }
      return value
    },

    /** Voids the user's cached views. Call after every write to their todos or sessions, before answering. */
    async invalidate(userId: number): Promise<void> {
      try {
        const redis = await connection()
        await bumpVersion(redis, userId)
        await recovered(redis)
      } catch (error) {
        if (missed.size < maxMissed) missed.add(userId)
        else missedTooMany = true
        failed(error)
      }
    },
  }
}

export type UserCache = ReturnType<typeof createUserCache>

const globalForCache = globalThis as unknown as { userCache?: UserCache }

/** The app's per-user cache (one per process). */
export const userCache: UserCache = (globalForCache.userCache ??= createUserCache(redis, env.CACHE_TTL_SECONDS))
