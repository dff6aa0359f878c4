import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createRateLimiter, strictest } from '@/server/rate-limit'
import { FAST_FAIL_OPTIONS, redis } from '@/server/redis'

const limit = (max: number, windowSeconds = 60) => ({ name: `test-${randomBytes(4).toString('hex')}`, max, windowSeconds })

describe('the rate limiter (rate-limiter-flexible, fixed windows) on the real Redis', () => {
  const limiter = createRateLimiter(redis)

  it('allows `max` events, then refuses with the time until the window ends', async () => {
    const tenPerMinute = limit(10)
    for (let i = 0; i < 10; i++) expect(await limiter.consume(tenPerMinute, '10.0.0.1')).toEqual({ allowed: true })
    const refused = await limiter.consume(tenPerMinute, '10.0.0.1')
    expect(refused.allowed).toBe(false)
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThan(50)
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeLessThanOrEqual(60)
    // Another subject is counted apart.
    expect(await limiter.consume(tenPerMinute, '10.0.0.2')).toEqual({ allowed: true })
  })

  it('check() does not count; consume() does', async () => {
    const once = limit(1)
    expect(await limiter.check(once, 'x')).toEqual({ allowed: true })
    expect(await limiter.check(once, 'x')).toEqual({ allowed: true })
    await limiter.consume(once, 'x')
    expect((await limiter.check(once, 'x')).allowed).toBe(false)
  })

  it('a new window starts afresh: events of an ended window stop counting', async () => {
    const twoPerSecond = limit(2, 1)
    await limiter.consume(twoPerSecond, 's')
    await limiter.consume(twoPerSecond, 's')
    expect((await limiter.consume(twoPerSecond, 's')).allowed).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    expect(await limiter.consume(twoPerSecond, 's')).toEqual({ allowed: true })
  })

  it('is shared by every instance (two limiters, one Redis)', async () => {
    const shared = limit(3)
    const other = createRateLimiter(redis)
    await limiter.consume(shared, 'ip')
    await other.consume(shared, 'ip')
    await limiter.consume(shared, 'ip')
    expect((await other.consume(shared, 'ip')).allowed).toBe(false)
  })

  it('strictest() refuses if any limit does, with the longest wait', () => {
    expect(strictest([{ allowed: true }, { allowed: false, retryAfterSeconds: 5 }, { allowed: false, retryAfterSeconds: 9 }])).toEqual({
      allowed: false,
      retryAfterSeconds: 9,
    })
    expect(strictest([{ allowed: true }])).toEqual({ allowed: true })
  })
})

describe('with Redis unreachable', () => {
  const nowhere = new Redis({ ...FAST_FAIL_OPTIONS, port: 1, host: '127.0.0.1', lazyConnect: true })
  nowhere.on('error', () => {})
  afterAll(() => nowhere.disconnect())

  it('limits in memory instead of letting everything through, quickly', async () => {
    const limiter = createRateLimiter(async () => nowhere)
    const threePerMinute = limit(3)
    const started = Date.now()
    for (let i = 0; i < 3; i++) expect(await limiter.consume(threePerMinute, 'a')).toEqual({ allowed: true })
    expect((await limiter.consume(threePerMinute, 'a')).allowed).toBe(false)
    expect(Date.now() - started).toBeLessThan(2_000)
  })
})
