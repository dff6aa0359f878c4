import { randomBytes } from 'node:crypto'
import { Queue } from 'bullmq'
import { Cluster } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// The app's Redis users against a real Redis Cluster (3 primaries, 3 replicas, from Debian's
// redis-server): the environment says REDIS_CLUSTER_NODES before the app's modules read it, so
// the shared connection, the queues and the workers are the ones the app makes in production.
// Afterwards every node's error statistics must show no CROSSSLOT (nor any other refusal).
const { PORTS, PREFIX } = vi.hoisted(() => {
  const ports = [7101, 7102, 7103, 7104, 7105, 7106]
  const prefix = `test-cluster-${Math.random().toString(16).slice(2, 10)}`
  process.env.REDIS_CLUSTER_NODES = ports.map((port) => `127.0.0.1:${port}`).join(',')
  process.env.REDIS_PREFIX = prefix
  return { PORTS: ports, PREFIX: prefix }
})

import { createUserCache, userCache } from '@/server/cache'
import { defaultQueuePrefix, EMAIL_QUEUE, createEmailQueue, type EmailJob } from '@/server/jobs/email-queue'
import { startWorkers } from '@/server/jobs/email-worker'
import { accountLimits } from '@/server/limits'
import type { Mailer, OutgoingMail } from '@/server/mail/transport'
import { requestEmailCode, verifyEmailCode } from '@/server/otp'
import { RESET_LIMITS } from '@/server/password-reset'
import { createRateLimiter, rateLimiter, type Limit } from '@/server/rate-limit'
import { createSubscriber, onMessage, publish, publishCommand, redis, subscribe, unsubscribe, type RedisClient } from '@/server/redis'
import { channels, keys } from '@/server/redis-keys'
import { LIMITS } from '@/server/throttles'
import { createTodo, listTodos } from '@/server/todos'
import { createHub } from '@/server/live/hub'
import { listAllTodos } from '../support/api-list'
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster'
import { liveStreamResponse } from '../support/live-stream'
import { readEvents } from '../support/sse'
import { createTestViewer } from '../support/users'
import { sleep, waitFor } from '../support/wait'

let cluster: RedisCluster
let admin: Cluster

/** A connection of the test's own, without the app's prefix. */
function testCluster(): Cluster {
  const connection = new Cluster(cluster.nodes, { redisOptions: { disableClientInfo: true } })
  connection.on('error', () => {}) // the last test stops the cluster under it
  return connection
}

/** Commands that failed while running on any node, with counts: e.g. { evalsha: 1 }. */
async function failedCommands(): Promise<Record<string, number>> {
  const totals: Record<string, number> = {}
  for (const node of admin.nodes('all')) {
    const info = await node.info('commandstats')
    for (const [, command, failed] of info.matchAll(/^cmdstat_([\w|]+):.*failed_calls=(\d+)/gm)) {
      if (Number(failed) > 0) totals[command!] = (totals[command!] ?? 0) + Number(failed)
    }
  }
  return totals
}

/** Every node's `errorstat_*` counters, summed: e.g. { CROSSSLOT: 1 }. */
async function errorStats(): Promise<Record<string, number>> {
  const totals: Record<string, number> = {}
  for (const node of admin.nodes('all')) {
    const info = await node.info('errorstats')
    for (const [, kind, count] of info.matchAll(/^errorstat_(\w+):count=(\d+)/gm)) {
      totals[kind!] = (totals[kind!] ?? 0) + Number(count)
    }
  }
  return totals
}

beforeAll(async () => {
  cluster = await startRedisCluster(PORTS)
  admin = testCluster()
  await waitFor('the admin connection', () => admin.status === 'ready', 10_000)
  await Promise.all(admin.nodes('all').map((node) => node.config('RESETSTAT')))
}, 60_000)

afterAll(async () => {
  await cluster?.stop()
  admin?.disconnect()
  ;(await redis()).disconnect()
})

describe('on a Redis Cluster', () => {
  it('the shared connection is a Cluster, and the check below can see a CROSSSLOT', async () => {
    const shared = await redis()
    expect(shared).toBeInstanceOf(Cluster)
    expect(shared.status).toBe('ready')
    // A script over two slots is refused by the server, and counted: the final check can fail.
    const probe = `probe-${randomBytes(4).toString('hex')}`
    await expect(admin.eval("return redis.call('MGET', KEYS[1], KEYS[2])", 2, `${probe}{a}`, `${probe}{b}`)).rejects.toThrow(/CROSSSLOT/)
    expect((await errorStats()).CROSSSLOT).toBe(1)
    await Promise.all(admin.nodes('all').map((node) => node.config('RESETSTAT')))
  })

  it('caches a user’s lists and reads their own writes, through the real data layer', async () => {
    const viewer = await createTestViewer('cluster')
    expect((await listTodos(viewer))?.todos).toEqual([])
    expect(await listAllTodos(viewer)).toEqual([])
    const before = userCache.stats()
    expect(await listAllTodos(viewer)).toEqual([])
    expect(userCache.stats().hits).toBeGreaterThan(before.hits)
    const created = await createTodo(viewer, { contents: 'on the cluster', isDone: false })
    expect(await listAllTodos(viewer)).toEqual([created])
    // The version and the views are in the user's slot.
    const shared = await redis()
    expect(await shared.get(keys.userVersion(viewer.id))).not.toBeNull()
    expect(await admin.cluster('KEYSLOT', `${PREFIX}:${keys.userVersion(viewer.id)}`)).toBe(
      await admin.cluster('KEYSLOT', `${PREFIX}:${keys.userView(viewer.id, 'list')}`),
    )
    expect(userCache.stats()).toMatchObject({ errors: 0, redisUp: true })
  })

  it('the epoch voids every cached entry after an instance missed more writes than it remembers', async () => {
    let down = false
    const shared = await redis()
    const client = async (): Promise<RedisClient> => {
      if (down) throw new Error('Redis is unreachable from this instance')
      return shared
    }
    const forgetful = createUserCache(client, 60, { maxMissed: 0 })
    const other = createUserCache(redis, 60, { epochRefreshMs: 0 })
    const userId = 900_000_000 + Math.floor(Math.random() * 1_000_000)
    expect(await other.read(userId, 'list', async () => ['before'])).toEqual(['before'])
    await waitFor('the view to be stored', async () => (await shared.exists(keys.userView(userId, 'list'))) === 1, 2_000)
    expect(await other.read(userId, 'list', async () => ['not used'])).toEqual(['before'])

    down = true
    await forgetful.invalidate(userId) // missed, and not remembered: the epoch must move
    expect(forgetful.stats().redisUp).toBe(false)
    down = false
    const epochBefore = Number((await shared.get(keys.cacheEpoch())) ?? 0)
    expect(await forgetful.read(userId, 'other', async () => 'loaded')).toBe('loaded')
    expect(Number(await shared.get(keys.cacheEpoch()))).toBe(epochBefore + 1)
    expect(await other.read(userId, 'list', async () => ['after'])).toEqual(['after'])
  })

  it('a remembered missed write bumps that user’s version when Redis is back', async () => {
    let down = false
    const shared = await redis()
    const cache = createUserCache(async () => {
      if (down) throw new Error('unreachable')
      return shared
    }, 60)
    const other = createUserCache(redis, 60)
    const userId = 800_000_000 + Math.floor(Math.random() * 1_000_000)
    await other.read(userId, 'list', async () => ['before'])
    await waitFor('the view to be stored', async () => (await shared.exists(keys.userView(userId, 'list'))) === 1, 2_000)
    down = true
    await cache.invalidate(userId)
    down = false
    await cache.read(userId + 1, 'x', async () => 'anything') // any command: the cache notices Redis is back
    expect(await other.read(userId, 'list', async () => ['after'])).toEqual(['after'])
  })

  it('issues and verifies an email code (codes in the user’s slot, the email through the braced queue)', async () => {
    expect(defaultQueuePrefix()).toBe(`{${PREFIX}}:bull`)
    const viewer = await createTestViewer('cluster')
    const email = `${viewer.username}@example.test`.toLowerCase()
    expect(await requestEmailCode(viewer, email, 'en')).toMatchObject({ ok: true })
    expect(await requestEmailCode(viewer, email, 'en')).toMatchObject({ ok: false, reason: 'throttled' })
    const connection = testCluster()
    const inspect = new Queue<EmailJob>(EMAIL_QUEUE, { connection, prefix: defaultQueuePrefix() })
    try {
      const jobs = await inspect.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed'])
      const job = jobs.find((j) => j?.data.type === 'verification-code' && j.data.to === email)
      if (job?.data.type !== 'verification-code') throw new Error('no code queued')
      expect(await verifyEmailCode(viewer, email, '000000' === job.data.code ? '000001' : '000000', 'en')).toEqual({
        ok: false,
        reason: 'invalid-code',
      })
      expect(await verifyEmailCode(viewer, email, job.data.code, 'en')).toMatchObject({ ok: true })
    } finally {
      await inspect.obliterate({ force: true })
      await inspect.close()
      connection.disconnect() // BullMQ leaves a connection it was given open
    }
  })

  it('counts every rate limit of the app in the cluster, shared by two instances', async () => {
    const every: Limit[] = [...Object.values(LIMITS), ...Object.values(RESET_LIMITS), accountLimits.writes]
    const other = createRateLimiter()
    const shared = await redis()
    for (const limit of every) {
      const small = { ...limit, max: 2 }
      const subject = `cluster-${randomBytes(4).toString('hex')}`
      expect(await rateLimiter.consume(small, subject)).toEqual({ allowed: true })
      expect(await other.consume(small, subject)).toEqual({ allowed: true })
      expect((await rateLimiter.check(small, subject)).allowed).toBe(false)
      const refused = await other.consume(small, subject)
      expect(refused.allowed).toBe(false)
      expect(refused.allowed === false && refused.retryAfterSeconds).toBeLessThanOrEqual(limit.windowSeconds)
      // Counted in Redis, not in an instance's memory.
      expect(Number(await shared.get(`${keys.rateLimit(limit.name)}:${subject}`))).toBeGreaterThanOrEqual(2)
    }
  })

  it('runs an email job end to end, and the reminder worker’s schedulers', async () => {
    const sent: OutgoingMail[] = []
    const mailer: Mailer = { kind: 'dev-mailbox', send: async (mail) => void sent.push(mail), close: () => {} }
    const target = { nodes: cluster.nodes }
    const workers = startWorkers({ redis: target, mailer, backoffDelayMs: 100 }, { sweepEveryMs: 500 })
    const queue = createEmailQueue({ redis: target })
    try {
      const to = `cluster-${randomBytes(4).toString('hex')}@example.test`
      await queue.enqueue({ type: 'email-verified', to, username: 'cluster', locale: 'en' }, `cluster-${randomBytes(4).toString('hex')}`)
      await waitFor('the email to be sent', () => sent.some((mail) => mail.to === to), 15_000)
      const connection = testCluster()
      const inspect = new Queue('reminders', { connection, prefix: defaultQueuePrefix() })
      await waitFor('a sweep to run', async () => (await inspect.getCompletedCount()) > 0, 15_000)
      await inspect.close()
      connection.disconnect()
    } finally {
      await queue.close()
      await workers.close()
    }
  })

  it('pub/sub: a user’s channel reaches a subscriber, from the app and from a script in the user’s slot', async () => {
    expect(publishCommand()).toBe('SPUBLISH')
    const userId = 700_000_000 + Math.floor(Math.random() * 1_000_000)
    const channel = channels.userEvents(PREFIX, userId)
    const subscriber = createSubscriber()
    const got: string[] = []
    const stop = onMessage(subscriber, (from, message) => from === channel && got.push(message))
    try {
      await subscribe(subscriber, channel)
      expect(await publish(channel, 'hello')).toBe(1)
      // What the lead's invalidate script does: bump the version and publish, keys and channel in one slot.
      const script = `local v = redis.call('INCR', KEYS[1]) redis.call(ARGV[1], ARGV[2], cjson.encode({version = v})) return v`
      const version = await (await redis()).eval(script, 1, keys.userVersion(userId), publishCommand(), channel)
      await waitFor('both messages', () => got.length === 2, 5_000)
      expect(got).toEqual(['hello', JSON.stringify({ version })])
      await unsubscribe(subscriber, channel)
      expect(await publish(channel, 'nobody')).toBe(0)
    } finally {
      stop()
      subscriber.disconnect()
    }
  })

  it('live streams: a write’s version reaches the stream through sharded pub/sub, and versions only grow', async () => {
    const hub = createHub()
    try {
      const viewer = await createTestViewer('cluster_live')
      const abort = new AbortController()
      const stream = readEvents(liveStreamResponse({ userId: viewer.id, lastEventId: null, stillSignedIn: async () => true, signal: abort.signal }, hub))
      await waitFor('the first version', () => stream.versions().length === 1, 10_000)
      await createTodo(viewer, { contents: 'live on a cluster', isDone: false })
      await waitFor('the write’s version', () => stream.versions().length === 2, 10_000)
      const [first, second] = stream.versions()
      expect(second).toBeGreaterThan(first!)
      expect(second).toBe(await userCache.version(viewer.id))
      abort.abort()
    } finally {
      await hub.close()
    }
  })

  it('no command of the app was refused: no CROSSSLOT, no other error on any node', async () => {
    const { MOVED: _moved, ASK: _ask, ...refusals } = await errorStats()
    expect(refusals.CROSSSLOT ?? 0).toBe(0)
    // MOVED and ASK are redirections that ioredis follows (a client may be sent on while the
    // cluster's slot map settles: Redis counts those as rejected calls too); anything else would
    // be a refusal. No command failed while running either.
    expect(refusals).toEqual({})
    expect(await failedCommands()).toEqual({})
  })

  it('a primary crashes: reads fall back to MariaDB meanwhile, and its replica takes over for the same connection', async () => {
    const viewer = await createTestViewer('cluster')
    const shared = await redis()
    const key = `${PREFIX}:${keys.userVersion(viewer.id)}`
    const slot = Number(await admin.cluster('KEYSLOT', key))
    const ranges = await admin.cluster('SLOTS')
    const port = ranges.find(([from, to]) => from <= slot && slot <= to)![2]![1]
    await createTodo(viewer, { contents: 'before the crash', isDone: false })
    await cluster.kill(port)

    const started = Date.now()
    expect((await listAllTodos(viewer))?.map((t) => t.contents)).toEqual(['before the crash'])
    expect(Date.now() - started).toBeLessThan(1_500)

    await waitFor('a replica to take over', async () => {
      try {
        await shared.set(keys.userView(viewer.id, 'probe'), '1', 'EX', 5)
        return true
      } catch {
        return false
      }
    }, 20_000)
    const created = await createTodo(viewer, { contents: 'after the failover', isDone: false })
    expect((await listAllTodos(viewer))?.map((t) => t.id)).toContain(created.id)
    await sleep(50)
    const hits = userCache.stats().hits
    expect((await listAllTodos(viewer))?.map((t) => t.id)).toContain(created.id)
    expect(userCache.stats().hits).toBe(hits + 1)
  })

  it('with the whole cluster gone, the app fails fast as on one Redis: the cache serves MariaDB, limits go to memory', async () => {
    const viewer = await createTestViewer('cluster')
    await cluster.stop()
    const started = Date.now()
    expect(await listAllTodos(viewer)).toEqual([])
    const limit = { name: 'cluster-down', max: 1, windowSeconds: 60 }
    expect(await rateLimiter.consume(limit, 'a')).toEqual({ allowed: true })
    expect((await rateLimiter.consume(limit, 'a')).allowed).toBe(false)
    await expect(requestEmailCode(viewer, `${viewer.username}@example.test`.toLowerCase(), 'en')).rejects.toThrow(/temporarily unavailable/)
    expect(Date.now() - started).toBeLessThan(3_000)
  })
})
