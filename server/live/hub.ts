import 'server-only'
import { parseVersionMessage } from '@/lib/live-event'
import { env } from '../env'
import { channels } from '../redis-keys'
import { createSubscriber, onMessage, subscribe, unsubscribe, type RedisClient } from '../redis'

/** What a stream hears: a new version of its user's todos, or that Redis went away or came back. */
export type HubEvent = { type: 'version'; version: number } | { type: 'degraded' } | { type: 'recovered' }
export type HubListener = (event: HubEvent) => void

/**
 * The live streams of this instance and their one Redis subscriber connection: a user's channel is
 * subscribed while at least one of their streams is open here, whatever the number of streams
 * (two tabs, two devices, ten thousand users: still one connection). Writes on any instance
 * publish on the user's channel (server/cache.ts, `invalidate`), so there are no sticky sessions.
 * While the subscriber is down every stream is told `degraded`; when it is back, `recovered`
 * (the stream then re-reads the version, since announcements made meanwhile are lost).
 */
export function createHub(connect: () => RedisClient = () => createSubscriber()) {
  const listeners = new Map<number, Set<HubListener>>()
  /** Each subscribed user's SUBSCRIBE, settled once Redis confirmed it (or refused it). */
  const subscriptions = new Map<number, Promise<void>>()
  let subscriber: RedisClient | undefined
  let up = true

  function connection(): RedisClient {
    if (subscriber) return subscriber
    const created = connect()
    onMessage(created, (channel, message) => {
      const userId = userIdOf(channel)
      const version = parseVersionMessage(message)
      if (userId === null || version === null) return
      for (const listener of listeners.get(userId) ?? []) listener({ type: 'version', version })
    })
    const down = () => {
      if (!up) return
      up = false
      broadcast({ type: 'degraded' })
    }
    created.on('close', down)
    created.on('error', down)
    // ioredis subscribes again to every channel on reconnection (autoResubscribe), then says ready.
    // (A Cluster subscribes to each user's channel on the primary of the user's slot: sharded pub/sub.)
    created.on('ready', () => {
      if (up) return
      up = true
      broadcast({ type: 'recovered' })
    })
    subscriber = created
    return created
  }

  function broadcast(event: HubEvent) {
    for (const set of listeners.values()) for (const listener of set) listener(event)
  }

  return {
    /**
     * Listens to one user's announcements until `stop` is called. `subscribed` settles once Redis
     * confirmed the subscription: what is published from then on is heard (it never rejects).
     */
    listen(userId: number, listener: HubListener): { subscribed: Promise<void>; stop: () => void } {
      const redis = connection()
      let set = listeners.get(userId)
      if (!set) {
        set = new Set()
        listeners.set(userId, set)
        // Queued while reconnecting (the subscriber keeps an offline queue); refused only when closed for good.
        subscriptions.set(userId, subscribe(redis, channels.userEvents(env.REDIS_PREFIX, userId)).catch(() => {}))
      }
      set.add(listener)
      const stop = () => {
        if (!set.delete(listener) || set.size > 0) return
        listeners.delete(userId)
        subscriptions.delete(userId)
        unsubscribe(redis, channels.userEvents(env.REDIS_PREFIX, userId)).catch(() => {})
      }
      return { subscribed: subscriptions.get(userId) ?? Promise.resolve(), stop }
    },

    /** How many streams listen here (the todos_live_streams gauge counts them for operators). */
    streamCount(): number {
      let count = 0
      for (const set of listeners.values()) count += set.size
      return count
    },

    /** Ends the subscriber (tests). */
    async close(): Promise<void> {
      listeners.clear()
      subscriptions.clear()
      await subscriber?.quit().catch(() => {})
      subscriber = undefined
    },
  }
}

export type Hub = ReturnType<typeof createHub>

const CHANNEL_USER = /:events:\{u:(\d+)\}$/

function userIdOf(channel: string): number | null {
  const match = CHANNEL_USER.exec(channel)
  return match ? Number(match[1]) : null
}


const globalForHub = globalThis as unknown as { liveHub?: Hub }

/** This process's hub. */
export const liveHub: Hub = (globalForHub.liveHub ??= createHub())
