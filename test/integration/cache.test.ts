import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createUserCache } from '@/server/cache'
import { FAST_FAIL_OPTIONS } from '@/server/redis'
import { createTodo, getTodo, listTodos, updateTodo } from '@/server/todos'
import { freePort } from '../../scripts/lib/free-port'
import { listAllTodos } from '../support/api-list'
import { startRedisServer } from '../support/redis-server'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy'
import { createTestViewer } from '../support/users'

const deferred = <T>() => {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('the todo list cache on the shared Redis', () => {
  it('reads the viewer’s own writes at once, through the real data layer', async () => {
    const viewer = await createTestViewer('cache')
    expect((await listTodos(viewer))?.todos).toEqual([])
    expect(await listAllTodos(viewer)).toEqual([]) // both views now cached
    const created = await createTodo(viewer, { contents: 'fresh', isDone: false })
    expect((await listTodos(viewer))?.todos).toEqual([created])
    expect(await listAllTodos(viewer)).toEqual([created])
    await updateTodo(viewer, created.id, { isDone: true })
    expect((await listTodos(viewer))?.completedCount).toBe(1)
  })

  it('read-your-writes holds under concurrent writers and readers', async () => {
    const viewer = await createTestViewer('race')
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 8; i++) {
        const created = await createTodo(viewer, { contents: `w${w}-${i}`, isDone: false })
        const seen = (await listAllTodos(viewer))?.map((t) => t.id) ?? []
        expect(seen).toContain(created.id)
      }
    })
    const readers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 12; i++) await listTodos(viewer, { page: 1 })
    })
    await Promise.all([...writers, ...readers])
    expect(await listAllTodos(viewer)).toHaveLength(32)
    expect(await getTodo(viewer, (await listAllTodos(viewer))![31]!.id)).not.toBeNull()
  })
})

describe('createUserCache', () => {
  let port: number
  let redisServer: { stop: () => Promise<void> }
  let proxy: TcpProxy | undefined
  let proxyPort: number
  let client: Redis

  beforeAll(async () => {
    port = await freePort()
    proxyPort = await freePort()
    redisServer = await startRedisServer(port)
  })
  afterEach(async () => {
    client?.disconnect()
    await proxy?.stop()
    proxy = undefined
  })
  afterAll(async () => {
    await redisServer.stop()
  })

  const connectThroughProxy = async () => {
    proxy = await startTcpProxy(proxyPort, port)
  }
  const newCache = () => {
    client = new Redis({ ...FAST_FAIL_OPTIONS, port: proxyPort, host: '127.0.0.1' })
    client.on('error', () => {})
    return createUserCache(() => client, 60)
  }
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 50))
  }

  it('counts hits and misses', async () => {
    await connectThroughProxy()
    const cache = newCache()
    await until(() => client.status === 'ready')
    let loads = 0
    const load = async () => ({ value: ++loads })
    expect(await cache.read(1, 'v', load)).toEqual({ value: 1 })
    await new Promise((r) => setTimeout(r, 50)) // the SET is not awaited by readers
    expect(await cache.read(1, 'v', load)).toEqual({ value: 1 })
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, errors: 0, redisUp: true })
  })

  it('keeps a text view as loaded: a hit is the same text, never parsed and written again, and a write voids it', async () => {
    await connectThroughProxy()
    const cache = newCache()
    await until(() => client.status === 'ready')
    let loads = 0
    // Spacing and key order a parse and a stringify would not keep.
    const load = async () => `{ "b": ${++loads},  "a": "ü" }`
    expect(await cache.readText(2, 't', load)).toBe('{ "b": 1,  "a": "ü" }')
    await new Promise((r) => setTimeout(r, 50))
    expect(await cache.readText(2, 't', load)).toBe('{ "b": 1,  "a": "ü" }')
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 })
    await cache.invalidate(2)
    expect(await cache.readText(2, 't', load)).toBe('{ "b": 2,  "a": "ü" }')
  })

  it('a slow reader cannot put an old list back after a write', async () => {
    await connectThroughProxy()
    const cache = newCache()
    await until(() => client.status === 'ready')
    const gate = deferred<void>()
    // The slow reader loaded the list before the write, and stores it only after the write.
    const slowRead = cache.read(7, 'list', async () => {
      await gate.promise
      return ['old']
    })
    await new Promise((r) => setTimeout(r, 50))
    await cache.invalidate(7) // the writer: database updated, then the version bumped
    gate.resolve()
    expect(await slowRead).toEqual(['old'])
    await new Promise((r) => setTimeout(r, 50))
    expect(await cache.read(7, 'list', async () => ['new'])).toEqual(['new'])
  })

  it('keeps answering from the loader while Redis is away, quickly, then caches again', async () => {
    await connectThroughProxy()
    const cache = newCache()
    await until(() => client.status === 'ready')
    await proxy!.stop()
    proxy = undefined
    await until(() => client.status !== 'ready')

    const started = Date.now()
    expect(await cache.read(3, 'v', async () => 'from the database')).toBe('from the database')
    await cache.invalidate(3) // must not throw
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(cache.stats()).toMatchObject({ redisUp: false })

    await connectThroughProxy()
    await until(() => client.status === 'ready')
    await cache.read(3, 'v', async () => 'loaded')
    await new Promise((r) => setTimeout(r, 50))
    expect(await cache.read(3, 'v', async () => 'not used')).toBe('loaded')
    expect(cache.stats().redisUp).toBe(true)
  })

  it('another instance stops serving the entry once the instance that missed the write reaches Redis again', async () => {
    await connectThroughProxy()
    const cut = newCache()
    const direct = new Redis({ ...FAST_FAIL_OPTIONS, port, host: '127.0.0.1' })
    direct.on('error', () => {})
    try {
      const other = createUserCache(() => direct, 60)
      await until(() => client.status === 'ready' && direct.status === 'ready')
      await other.read(11, 'list', async () => ['before'])
      await new Promise((r) => setTimeout(r, 50))

      // A partial partition: the writer's instance cannot reach Redis, the other one still can.
      await proxy!.stop()
      proxy = undefined
      await until(() => client.status !== 'ready')
      await cut.invalidate(11)
      expect(await other.read(11, 'list', async () => ['not used'])).toEqual(['before']) // the window decision 0007 names

      await connectThroughProxy()
      await until(() => client.status === 'ready')
      await until(() => cut.stats().redisUp) // the reconnection alone bumps the user's version
      expect(await other.read(11, 'list', async () => ['after'])).toEqual(['after'])
    } finally {
      direct.disconnect()
    }
  })

  it('past the users it can remember, a missed write moves the epoch, which voids every user', async () => {
    await connectThroughProxy()
    const cut = createUserCache(() => client, 60, { maxMissed: 1 })
    client = new Redis({ ...FAST_FAIL_OPTIONS, port: proxyPort, host: '127.0.0.1' })
    client.on('error', () => {})
    const direct = new Redis({ ...FAST_FAIL_OPTIONS, port, host: '127.0.0.1' })
    direct.on('error', () => {})
    try {
      const other = createUserCache(() => direct, 60, { epochRefreshMs: 0 })
      await until(() => client.status === 'ready' && direct.status === 'ready')
      await other.read(21, 'list', async () => ['21 before'])
      await other.read(22, 'list', async () => ['22 before'])
      await new Promise((r) => setTimeout(r, 50))

      await proxy!.stop()
      proxy = undefined
      await until(() => client.status !== 'ready')
      await cut.invalidate(21) // remembered
      await cut.invalidate(22) // one too many: only the epoch can void it
      await connectThroughProxy()
      await until(() => client.status === 'ready')
      await until(() => cut.stats().redisUp)
      expect(Number(await direct.get('cache:epoch'))).toBeGreaterThan(0)
      expect(await other.read(21, 'list', async () => ['21 after'])).toEqual(['21 after'])
      expect(await other.read(22, 'list', async () => ['22 after'])).toEqual(['22 after'])
    } finally {
      direct.disconnect()
    }
  })

  it('a write missed while Redis was unreachable voids the cache when it is back', async () => {
    await connectThroughProxy()
    const cache = newCache()
    await until(() => client.status === 'ready')
    await cache.read(5, 'list', async () => ['before'])
    await new Promise((r) => setTimeout(r, 50))

    // Redis keeps the entry, but this instance cannot reach it when the write happens.
    await proxy!.stop()
    proxy = undefined
    await until(() => client.status !== 'ready')
    await cache.invalidate(5)

    await connectThroughProxy()
    await until(() => client.status === 'ready')
    expect(await cache.read(5, 'list', async () => ['after'])).toEqual(['after'])
  })
})
