import { describe, expect, it } from 'vitest'
import { env } from '@/server/env'
import { createSubscriber, onMessage, publish, publishCommand, redis, subscribe, unsubscribe } from '@/server/redis'
import { channels, keys } from '@/server/redis-keys'
import { waitFor } from '../support/wait'

// The pub/sub helpers on one Redis (REDIS_URL): classic SUBSCRIBE/PUBLISH. The cluster's sharded
// variant is proven in redis-cluster.test.ts.
describe('pub/sub on one Redis', () => {
  it('delivers a user’s events to a dedicated subscriber, from the app and from a script, until unsubscribed', async () => {
    expect(publishCommand()).toBe('PUBLISH')
    const userId = 600_000_000 + Math.floor(Math.random() * 1_000_000)
    const channel = channels.userEvents(env.REDIS_PREFIX, userId)
    expect(channel).toBe(`${env.REDIS_PREFIX}:events:{u:${userId}}`)
    const subscriber = createSubscriber()
    const got: string[] = []
    const stop = onMessage(subscriber, (from, message) => from === channel && got.push(message))
    try {
      await subscribe(subscriber, channel)
      expect(await publish(channel, 'hello')).toBe(1)
      const script = `local v = redis.call('INCR', KEYS[1]) redis.call(ARGV[1], ARGV[2], cjson.encode({version = v})) return v`
      const version = await (await redis()).eval(script, 1, keys.userVersion(userId), publishCommand(), channel)
      await waitFor('both messages', () => got.length === 2, 5_000)
      expect(got).toEqual(['hello', JSON.stringify({ version })])
      await unsubscribe(subscriber, channel)
      expect(await publish(channel, 'nobody')).toBe(0)
    } finally {
      stop()
      subscriber.disconnect()
      await (await redis()).del(keys.userVersion(userId))
    }
  })
})
