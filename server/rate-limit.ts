import 'server-only'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import { redis, type RedisClient } from './redis'
import { keys } from './redis-keys'

export type Limit = { name: string; max: number; windowSeconds: number }
export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

const refused = (msBeforeNext: number): Verdict => ({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) })

/**
 * Rate limits shared by every app instance through Redis (rate-limiter-flexible's fixed windows:
 * one counter per limit and subject, one key per script, so a Redis Cluster takes them as they
 * are). If Redis cannot be reached, each instance goes on limiting on its own, in memory (the
 * library's insurance limiter), rather than letting everything through. See docs/decisions/0017.
 */
export function createRateLimiter(client: () => Promise<RedisClient> = redis) {
  const memory = new Map<string, RateLimiterMemory>()
  const stores = new WeakMap<RedisClient, Map<string, RateLimiterRedis>>()
  const id = (limit: Limit) => `${limit.name}/${limit.max}/${limit.windowSeconds}`

  function insurance(limit: Limit): RateLimiterMemory {
    let found = memory.get(id(limit))
    if (!found) {
      found = new RateLimiterMemory({ keyPrefix: keys.rateLimit(limit.name), points: limit.max, duration: limit.windowSeconds })
      memory.set(id(limit), found)
    }
    return found
  }

  async function limiterFor(limit: Limit): Promise<RateLimiterRedis | RateLimiterMemory> {
    let connection: RedisClient
    try {
      connection = await client()
    } catch {
      return insurance(limit)
    }
    let byLimit = stores.get(connection)
    if (!byLimit) stores.set(connection, (byLimit = new Map()))
    let found = byLimit.get(id(limit))
    if (!found) {
      found = new RateLimiterRedis({
        storeClient: connection,
        keyPrefix: keys.rateLimit(limit.name),
        points: limit.max,
        duration: limit.windowSeconds,
        // While the connection is down, go to memory at once instead of waiting for a failure.
        rejectIfRedisNotReady: true,
        insuranceLimiter: insurance(limit),
      })
      byLimit.set(id(limit), found)
    }
    return found
  }

  return {
    /** Whether another event would be allowed now, without recording one. */
    async check(limit: Limit, subject: string): Promise<Verdict> {
      const state = await (await limiterFor(limit)).get(subject)
      return state && state.consumedPoints >= limit.max ? refused(state.msBeforeNext) : { allowed: true }
    },
    /** Records an event if allowed (e.g. a sign-up): the check and the count are one step. */
    async consume(limit: Limit, subject: string): Promise<Verdict> {
      try {
        await (await limiterFor(limit)).consume(subject)
        return { allowed: true }
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return refused(rejection.msBeforeNext)
        throw rejection
      }
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>

/** The most restrictive of several verdicts: refused if any is, with the longest wait. */
export function strictest(verdicts: Verdict[]): Verdict {
  const waits = verdicts.flatMap((verdict) => (verdict.allowed ? [] : [verdict.retryAfterSeconds]))
  return waits.length === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(...waits) }
}

const globalForLimiter = globalThis as unknown as { rateLimiter?: RateLimiter }
export const rateLimiter: RateLimiter = (globalForLimiter.rateLimiter ??= createRateLimiter())
