import 'server-only'
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis'
import { env } from './env'

/** A connection to one Redis or to a Redis Cluster: the app's code works with either. */
export type RedisClient = Redis | Cluster

/** Where Redis is: one server (REDIS_URL) or some nodes of a cluster (REDIS_CLUSTER_NODES). */
export type RedisTarget = { url: string } | { nodes: { host: string; port: number }[] }

/** The deployment's Redis: the cluster when REDIS_CLUSTER_NODES is set, else REDIS_URL. */
export function defaultTarget(): RedisTarget {
  return env.REDIS_CLUSTER_NODES ? { nodes: env.REDIS_CLUSTER_NODES } : { url: env.REDIS_URL }
}

// ioredis sends CLIENT SETINFO on every connect; Redis 7.0 (Debian 12's) does not know it and
// counts an ERR each time, which would hide real refusals in INFO errorstats.
const QUIET: RedisOptions = { disableClientInfo: true }

/**
 * Options for the app's own Redis connection (cache, one-time codes, rate limits): every command
 * fails fast instead of queueing while Redis is away, so a request falls back to MariaDB (or
 * answers 503) within a fraction of a second, and ioredis keeps reconnecting in the background.
 */
export const FAST_FAIL_OPTIONS: RedisOptions = {
  ...QUIET,
  connectTimeout: 500,
  commandTimeout: 300,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
}

export type ConnectionOptions = {
  /**
   * `fast-fail` (the default): FAST_FAIL_OPTIONS. `blocking`: BullMQ workers' connections, which
   * wait out an outage (offline queue on, `maxRetriesPerRequest: null`, as BullMQ requires).
   */
  mode?: 'fast-fail' | 'blocking'
  /** Put in front of every key (not of channels, nor of BullMQ's keys: BullMQ refuses it). */
  keyPrefix?: string
  /** Upper bound for one command (fast-fail mode). */
  commandTimeout?: number
  /** Cluster only: one subscriber connection per shard, for SSUBSCRIBE. */
  shardedSubscribers?: boolean
}

/**
 * The one place where the app's Redis connections are made: a `Redis` for one server, a `Cluster`
 * for a cluster, with the same behaviour when Redis is away. Callers listen for 'error' themselves.
 */
export function createRedis(target: RedisTarget = defaultTarget(), options: ConnectionOptions = {}): RedisClient {
  const { mode = 'fast-fail', keyPrefix, commandTimeout, shardedSubscribers = false } = options
  const perNode: RedisOptions =
    mode === 'blocking'
      ? { ...QUIET, maxRetriesPerRequest: null }
      : { ...FAST_FAIL_OPTIONS, ...(commandTimeout ? { commandTimeout } : {}) }
  if ('url' in target) return new Redis(target.url, { ...perNode, ...(keyPrefix ? { keyPrefix } : {}) })

  // The offline queue is the cluster's own (commands wait there while it looks up its slots);
  // each node's connection keeps its queue, or a command to a node not yet connected would fail.
  const { enableOfflineQueue, retryStrategy, ...nodeOptions } = perNode
  const clusterOptions: ClusterOptions = {
    ...(keyPrefix ? { keyPrefix } : {}),
    enableOfflineQueue: mode === 'blocking' ? true : (enableOfflineQueue ?? false),
    clusterRetryStrategy: mode === 'blocking' ? (attempt) => Math.min(attempt * 200, 2_000) : retryStrategy,
    // A failover or a resharding answers MOVED/ASK/TRYAGAIN/CLUSTERDOWN: retry soon, a few times.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    maxRedirections: 16,
    slotsRefreshTimeout: mode === 'blocking' ? 2_000 : 500,
    shardedSubscribers,
    redisOptions: nodeOptions,
  }
  return new Cluster(target.nodes, clusterOptions)
}

/** Whether this deployment talks to a Redis Cluster. */
export const isCluster = (): boolean => Boolean(env.REDIS_CLUSTER_NODES)

/** The prefix of every key the app's shared connection touches (REDIS_PREFIX and a colon). */
export const keyPrefix = (): string => `${env.REDIS_PREFIX}:`

const globalForRedis = globalThis as unknown as { redis?: RedisClient; redisPublisher?: RedisClient }

function client(): RedisClient {
  if (globalForRedis.redis) return globalForRedis.redis
  const created = createRedis(defaultTarget(), { keyPrefix: keyPrefix() })
  created.on('error', () => {}) // surfaced through failed commands; see cache.ts and otp.ts
  globalForRedis.redis = created
  return created
}

/**
 * The shared connection, once it is ready. Without an offline queue a command sent while the
 * first connection is still being made would fail, so the first caller waits for it (at most
 * `connectTimeout`); while Redis is down and ioredis is reconnecting, callers do not wait.
 */
export async function redis(): Promise<RedisClient> {
  const connection = client()
  if (connection.status === 'wait' || connection.status === 'connecting' || connection.status === 'connect') {
    await whenReady(connection, FAST_FAIL_OPTIONS.connectTimeout ?? 500)
  }
  return connection
}

/**
 * Resolves when `connection` is ready, when this attempt fails (Redis is away: do not wait for the
 * next one), or after `timeoutMs`, whichever is first. Never rejects.
 */
export function whenReady(connection: RedisClient, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve()
  const events = ['ready', 'end', 'close', 'error'] as const
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      for (const event of events) connection.off(event, done)
      resolve()
    }
    const timer = setTimeout(done, timeoutMs)
    for (const event of events) connection.once(event, done)
  })
}

// Pub/sub. On one Redis: classic SUBSCRIBE/PUBLISH. On a cluster: sharded pub/sub (Redis 7), so a
// message travels to the one shard that owns the channel's slot instead of to every node; channels
// with a hash tag (`…:events:{u:42}`) live beside that user's keys. Channel names are given whole
// (REDIS_PREFIX included): subscriber connections carry no key prefix.

/** The publish command for a channel, as a Lua script calls it (`redis.call(PUBLISH_COMMAND, ch, msg)`). */
export const publishCommand = (): 'SPUBLISH' | 'PUBLISH' => (isCluster() ? 'SPUBLISH' : 'PUBLISH')

/**
 * A new connection for subscriptions only (a subscribed connection can run no other command).
 * Unlike the shared one it queues commands while disconnected and reconnects forever, and
 * resubscribes its channels after a reconnection. The caller closes it (`disconnect()`).
 */
export function createSubscriber(target: RedisTarget = defaultTarget()): RedisClient {
  if ('url' in target) {
    return new Redis(target.url, {
      ...QUIET,
      connectTimeout: 2_000,
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    })
  }
  return new Cluster(target.nodes, {
    shardedSubscribers: true,
    enableOfflineQueue: true,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    redisOptions: { ...QUIET, connectTimeout: 2_000, maxRetriesPerRequest: null },
  })
}

const sharded = (connection: RedisClient) => connection instanceof Cluster

/** Subscribes `subscriber` (from createSubscriber) to `channel`. */
export async function subscribe(subscriber: RedisClient, channel: string): Promise<void> {
  if (sharded(subscriber)) await subscriber.ssubscribe(channel)
  else await subscriber.subscribe(channel)
}

export async function unsubscribe(subscriber: RedisClient, channel: string): Promise<void> {
  if (sharded(subscriber)) await subscriber.sunsubscribe(channel)
  else await subscriber.unsubscribe(channel)
}

/** Calls `listener` for every message `subscriber` receives; returns a function that stops it. */
export function onMessage(subscriber: RedisClient, listener: (channel: string, message: string) => void): () => void {
  const event = sharded(subscriber) ? 'smessage' : 'message'
  subscriber.on(event, listener)
  return () => void subscriber.off(event, listener)
}

/**
 * Publishes `message` on `channel` (a whole name) through the shared connection; resolves to the
 * number of subscribers that got it. Fails fast like every command of that connection.
 */
export async function publish(channel: string, message: string): Promise<number> {
  const connection = await redis()
  if (!sharded(connection)) return connection.publish(channel, message) // PUBLISH takes no key prefix
  // ioredis treats SPUBLISH's channel as a key and adds the key prefix: hand it the rest only.
  const prefix = connection.options.keyPrefix ?? ''
  if (!channel.startsWith(prefix)) throw new Error(`publish: channel ${channel} is outside ${prefix}`)
  return Number(await connection.spublish(channel.slice(prefix.length), message))
}
