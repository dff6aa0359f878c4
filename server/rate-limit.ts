import 'server-only'
import type { Redis } from 'ioredis'
import { redis } from './redis'
import { keys } from './redis-keys'

export type Limit = { name: string; max: number; windowSeconds: number }
export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

// A sliding-window log in one sorted set per key: drop entries older than the window, then either
// refuse (with the time until the oldest entry leaves the window) or, when asked, record this one.
const SCRIPT = `
local key, now, window, max, record, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= max then
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  return oldest + window - now
end
if record == '1' then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
end
return 0
`

/** The same sliding window in this process's memory: the fallback while Redis is unreachable. */
class MemoryWindows {
  private readonly windows = new Map<string, number[]>()
  constructor(private readonly maxKeys = 50_000) {}

  run(key: string, now: number, windowMs: number, max: number, record: boolean): number {
    const kept = (this.windows.get(key) ?? []).filter((time) => time > now - windowMs)
    if (kept.length >= max) {
      this.windows.set(key, kept)
      return kept[0]! + windowMs - now
    }
    if (record) kept.push(now)
    this.windows.delete(key) // re-insert: the Map's order is then least recently used first
    if (kept.length > 0) this.windows.set(key, kept)
    if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value!)
    return 0
  }
}

/**
 * Rate limits shared by every app instance through Redis. If Redis cannot be reached, each instance
 * goes on limiting on its own (in memory) rather than letting everything through.
 */
export function createRateLimiter(client: () => Promise<Redis> = redis) {
  const memory = new MemoryWindows()
  let counter = 0

  async function run(limit: Limit, subject: string, record: boolean): Promise<Verdict> {
    const key = keys.rateLimit(limit.name, subject)
    const now = Date.now()
    const windowMs = limit.windowSeconds * 1000
    let waitMs: number
    try {
      const member = `${now}-${process.pid}-${counter++}`
      waitMs = Number(await (await client()).eval(SCRIPT, 1, key, now, windowMs, limit.max, record ? '1' : '0', member))
    } catch {
      waitMs = memory.run(key, now, windowMs, limit.max, record)
    }
    return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true }
  }

  return {
    /** Whether another event would be allowed now, without recording one. */
    check: (limit: Limit, subject: string) => run(limit, subject, false),
    /** Records an event if allowed (e.g. a sign-up): the check and the count are one step. */
    consume: (limit: Limit, subject: string) => run(limit, subject, true),
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
