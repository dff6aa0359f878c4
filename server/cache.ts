import 'server-only'
import { channels, keys } from './redis-keys'
import { env } from './env'
import { publishCommand, redis, type RedisClient } from './redis'
import { readYourWrites } from './db-scope'
import { componentLog } from './log'

const log = componentLog('cache')

/** How long the version and epoch counters live; longer than any cached view, so a reset is harmless. */
const COUNTER_TTL_SECONDS = 7 * 24 * 60 * 60

export type CacheStats = { hits: number; misses: number; errors: number; redisUp: boolean }

// One round trip per read: the user's version and the view, both declared and in the user's slot
// (keys.ts: `{u:<id>}`), so the script runs on a Redis Cluster too. A view is stored stamped with the
// epoch and version it was loaded under (`<epoch>.<version>|<json>`); the reader compares the stamp.
const READ_VIEW_SCRIPT = `
return {redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2])}
`
// A write's bump: the user's next version, never below `floor` (now, in ms), so that versions only
// grow even after Redis lost the counter (a restart, an eviction, the TTL); then the live streams
// of every instance hear of it (server/live) in the same round trip. The channel is in the user's
// slot, and the command (PUBLISH, or SPUBLISH on a cluster) comes as an argument.
const BUMP_VERSION_SCRIPT = `
local version = redis.call('INCR', KEYS[1])
local floor = tonumber(ARGV[1])
if version < floor then
  version = floor
  redis.call('SET', KEYS[1], version)
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call(ARGV[3], ARGV[4], '{"version":' .. version .. '}')
return version
`
// The version a page renders with or a stream starts from: a missing counter gets its floor first,
// so that every later bump is above what the reader was told.
const READ_VERSION_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
return redis.call('GET', KEYS[1])
`
type ViewReader = {
  readUserView(versionKey: string, viewKey: string): Promise<[string, string | null]>
  bumpUserVersion(versionKey: string, floor: number, ttlSeconds: number, command: string, channel: string): Promise<number>
  readUserVersion(versionKey: string, floor: number, ttlSeconds: number): Promise<string>
}

/** The scripts as commands of this connection (EVALSHA, falling back to EVAL once per connection). */
function withViewReader(redis: RedisClient): RedisClient & ViewReader {
  if (!('readUserView' in redis)) {
    redis.defineCommand('readUserView', { numberOfKeys: 2, lua: READ_VIEW_SCRIPT })
    redis.defineCommand('bumpUserVersion', { numberOfKeys: 1, lua: BUMP_VERSION_SCRIPT })
    redis.defineCommand('readUserVersion', { numberOfKeys: 1, lua: READ_VERSION_SCRIPT })
  }
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
      log.warn(`Redis unavailable, serving from the database: ${(error as Error).message ?? error}`)
    }
  }

  /**
   * The user's version moves on (views stored under older versions are never read again) and their
   * live streams are told. Returns the new version.
   */
  async function bumpVersion(redis: RedisClient & ViewReader, userId: number): Promise<number> {
    return redis.bumpUserVersion(
      keys.userVersion(userId),
      Date.now(),
      COUNTER_TTL_SECONDS,
      publishCommand(),
      channels.userEvents(env.REDIS_PREFIX, userId),
    )
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
  async function recovered(redis: RedisClient & ViewReader) {
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
    if (!stats.redisUp) log.info('Redis is back; caching again')
    stats.redisUp = true
  }

  /** One read of `view` (see `read`), its value kept in Redis as `encode` writes it. */
  async function readStored<T>(userId: number, view: string, load: () => Promise<T>, encode: (value: T) => string, decode: (text: string) => T): Promise<T> {
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
        return decode(hit.slice(stamp.length))
      }
      stats.misses++
    } catch (error) {
      failed(error)
      return load()
    }
    // Read where every commit before this version is visible (on Galera: after the node caught up).
    const value = await readYourWrites(load)
    if (value !== null) {
      // Not awaited: the reader has its answer; a lost SET only costs a later miss.
      redis.set(key, stamp + encode(value), 'EX', ttlSeconds).catch(failed)
    }
    return value
  }

  return {
    stats: (): CacheStats => ({ ...stats }),

    /** The cached value of `view` for this user, or `load()`'s (stored for next time unless null). */
    read<T>(userId: number, view: string, load: () => Promise<T>): Promise<T> {
      return readStored(userId, view, load, JSON.stringify, (text) => JSON.parse(text) as T)
    },

    /** `read` for a view that is the text of an answer (JSON already): a hit is that text as stored, never parsed. */
    readText(userId: number, view: string, load: () => Promise<string>): Promise<string> {
      return readStored(userId, view, load, (text) => text, (text) => text)
    },

    /**
     * Voids the user's cached views and tells their live streams (server/live) the new version.
     * Call after every write to their todos or sessions, before answering. Null when Redis is away.
     */
    async invalidate(userId: number): Promise<number | null> {
      try {
        const redis = await connection()
        const version = await bumpVersion(redis, userId)
        await recovered(redis)
        return version
      } catch (error) {
        if (missed.size < maxMissed) missed.add(userId)
        else missedTooMany = true
        failed(error)
        return null
      }
    },

    /**
     * The user's version now: a page that renders data read after this call is at least this new, and
     * every later write is above it. Null when Redis is away.
     */
    async version(userId: number): Promise<number | null> {
      try {
        const redis = await connection()
        const version = Number(await redis.readUserVersion(keys.userVersion(userId), Date.now(), COUNTER_TTL_SECONDS))
        await recovered(redis)
        return version
      } catch (error) {
        failed(error)
        return null
      }
    },
  }
}

export type UserCache = ReturnType<typeof createUserCache>

const globalForCache = globalThis as unknown as { userCache?: UserCache }

/** The app's per-user cache (one per process). */
export const userCache: UserCache = (globalForCache.userCache ??= createUserCache(redis, env.CACHE_TTL_SECONDS))
