import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { userCache } from '@/server/cache'
import { createHub } from '@/server/live/hub'
import { redis } from '@/server/redis'
import { keys } from '@/server/redis-keys'
import { revokeSession } from '@/server/sessions'
import { createTodo, deleteTodo, updateTodo } from '@/server/todos'
import { freePort } from '../../scripts/lib/free-port'
import { startRedisServer } from '../support/redis-server'
import { liveStreamResponse } from '../support/live-stream'
import { readEvents } from '../support/sse'
import { createTestViewer } from '../support/users'
import { sleep, waitFor } from '../support/wait'

const hubs: ReturnType<typeof createHub>[] = []
afterAll(async () => {
  for (const hub of hubs) await hub.close()
})

function newHub(connect?: () => Redis) {
  const hub = connect ? createHub(connect) : createHub()
  hubs.push(hub)
  return hub
}

function open(userId: number, hub: ReturnType<typeof createHub>, options: { lastEventId?: string; stillSignedIn?: () => Promise<boolean> } = {}) {
  const abort = new AbortController()
  const response = liveStreamResponse(
    {
      userId,
      lastEventId: options.lastEventId ?? null,
      stillSignedIn: options.stillSignedIn ?? (async () => true),
      signal: abort.signal,
    },
    hub,
  )
  return { response, abort, ...readEvents(response) }
}

describe('user versions', () => {
  it('grow with every write, and keep growing after Redis lost the counter', async () => {
    const viewer = await createTestViewer('ver')
    const first = await userCache.version(viewer.id)
    expect(first).toBeGreaterThan(0)
    await createTodo(viewer, { contents: 'one', isDone: false })
    const second = await userCache.version(viewer.id)
    expect(second).toBeGreaterThan(first!)
    // Redis restarted without data (or evicted the key): the next version is still larger.
    await (await redis()).del(keys.userVersion(viewer.id))
    const third = await userCache.version(viewer.id)
    expect(third).toBeGreaterThan(second!)
    expect(await userCache.invalidate(viewer.id)).toBeGreaterThan(third!)
  })
})

describe('the live stream', () => {
  it('says the version at once, then every change of that user only, with ids', async () => {
    const hub = newHub()
    const [alice, bob] = [await createTestViewer('live_a'), await createTestViewer('live_b')]
    const stream = open(alice.id, hub)
    await waitFor('the first event', () => stream.versions().length === 1)
    expect(stream.events[0]?.retry).toMatch(/^\d+$/)
    const start = stream.versions()[0]!

    const todo = await createTodo(alice, { contents: 'seen live', isDone: false })
    await waitFor('the create', () => stream.versions().length === 2)
    await updateTodo(alice, todo.id, { isDone: true })
    await deleteTodo(alice, todo.id)
    await createTodo(bob, { contents: 'not alice’s', isDone: false })
    await waitFor('the update and the delete', () => stream.versions().length === 4)
    await sleep(200)
    const versions = stream.versions()
    expect(versions).toHaveLength(4) // bob's write is not announced on alice's stream
    expect([...versions].sort((a, b) => a - b)).toEqual(versions)
    expect(new Set(versions).size).toBe(4)
    expect(versions[0]).toBe(start)
    const ids = stream.events.filter((e) => e.event === 'todos').map((e) => Number(e.id))
    expect(ids).toEqual(versions)
    stream.cancel()
  })

  it('serves many streams of many users from one subscriber connection', async () => {
    let connections = 0
    const hub = newHub(() => {
      connections++
      return new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null })
    })
    const viewers = await Promise.all(Array.from({ length: 5 }, () => createTestViewer('many')))
    const streams = viewers.flatMap((viewer) => [open(viewer.id, hub), open(viewer.id, hub)])
    await waitFor('every first event', () => streams.every((s) => s.versions().length === 1))
    expect(hub.streamCount()).toBe(10)
    await createTodo(viewers[2]!, { contents: 'two streams hear this', isDone: false })
    await waitFor('both streams of that user', () => streams[4]!.versions().length === 2 && streams[5]!.versions().length === 2)
    expect(streams.filter((s) => s.versions().length === 2)).toHaveLength(2)
    expect(connections).toBe(1)
    for (const stream of streams) stream.abort.abort()
    await waitFor('the streams to close', () => hub.streamCount() === 0)
  })

  it('tells a reconnecting browser nothing when it is up to date, and the version when it missed one', async () => {
    const hub = newHub()
    const viewer = await createTestViewer('resume')
    const now = await userCache.version(viewer.id)
    const upToDate = open(viewer.id, hub, { lastEventId: String(now) })
    await waitFor('the retry line', () => upToDate.events.length >= 1)
    await sleep(150)
    expect(upToDate.versions()).toEqual([])
    const behind = open(viewer.id, hub, { lastEventId: String(now! - 1) })
    await waitFor('the missed version', () => behind.versions().length === 1)
    expect(behind.versions()).toEqual([now])
    upToDate.cancel()
    behind.cancel()
  })

  it('ends when the session does', async () => {
    const hub = newHub()
    const viewer = await createTestViewer('ends')
    let signedIn = true
    const stream = open(viewer.id, hub, { stillSignedIn: async () => signedIn })
    await waitFor('the first event', () => stream.versions().length === 1)
    signedIn = false
    // A log-out bumps the version, which is how the stream hears of it.
    await revokeSession(viewer, 'session-that-ends', new Date(Date.now() + 60_000))
    await waitFor('the stream to end', () => stream.ended(), 3_000)
    expect(hub.streamCount()).toBe(0)
  })

  it('says degraded while its Redis is away, and catches up when it is back', async () => {
    const port = await freePort()
    let server = await startRedisServer(port)
    const hub = newHub(() => new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null, retryStrategy: () => 100 }))
    const viewer = await createTestViewer('degraded')
    const stream = open(viewer.id, hub)
    await waitFor('the first event', () => stream.versions().length === 1)
    await server.stop()
    await waitFor('degraded', () => stream.events.some((e) => e.event === 'degraded'))
    // Announced while the stream's subscriber was away: lost, so the stream re-reads on recovery.
    await createTodo(viewer, { contents: 'made while degraded', isDone: false })
    server = await startRedisServer(port)
    await waitFor('the missed version', () => stream.versions().length === 2, 10_000)
    expect(stream.versions()[1]).toBe(await userCache.version(viewer.id))
    stream.cancel()
    await hub.close()
    await server.stop()
  })
})
