import 'server-only'
import { userCache } from '../cache'
import { liveEvents, liveStreams } from '../metrics'
import { liveHub, type Hub, type HubEvent } from './hub'

/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
export const HEARTBEAT_MS = 25_000
/** How long a browser waits before reconnecting (the `retry:` field). */
export const RECONNECT_MS = 3_000

export type StreamCaller = {
  userId: number
  /** The `Last-Event-ID` the browser sent on reconnecting, if any. */
  lastEventId: string | null
  /** Whether the caller's session (or token) still holds: asked after each announcement. */
  stillSignedIn: () => Promise<boolean>
  /** When the session expires, if it does. */
  expiresAt?: Date
  /** Aborted when the client goes away. */
  signal: AbortSignal
}

/** How long a new stream waits for Redis to confirm its subscription before it reads the version. */
const SUBSCRIBE_WAIT_MS = 2_000
const CATCH_UP_ATTEMPTS = 20
const CATCH_UP_RETRY_MS = 500

const openStreams = new Set<() => void>()

/** Where a stream's events go: the response, written as they come, and ended when the stream is. */
export type EventSink = { write: (text: string) => void; end: () => void }

/** The stream's response headers. */
export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx buffers proxied responses unless told not to (README, "Behind a reverse proxy").
  'X-Accel-Buffering': 'no',
} as const

/**
 * The Server-Sent Events of one caller, written to `sink` (server/live/serve.ts, the response): `event: todos` with `{"version":N}` (and `id: N`) whenever
 * their todos change on any instance, `event: degraded` while announcements cannot arrive (Redis
 * away; the page then refreshes on a timer), and the current version again when they can. The first
 * event says the version now, unless the reconnecting browser already has it (`Last-Event-ID`), so
 * a reconnect learns at once whether it missed something. The stream ends when the session does
 * (log-out, log out everywhere, password change, deletion: each bumps the version, so each is
 * heard here) and on SIGTERM, so that browsers reconnect to another instance.
 */
export function openLiveStream(caller: StreamCaller, sink: EventSink, hub: Hub = liveHub): void {
  let closed = false
  let lastSent = caller.lastEventId
  const send = (text: string) => {
    if (!closed) sink.write(text)
  }
  const sendVersion = (version: number | null) => {
    if (version === null) return send('event: degraded\ndata: {}\n\n')
    if (String(version) === lastSent) return
    lastSent = String(version)
    liveEvents.inc()
    send(`id: ${version}\nevent: todos\ndata: {"version":${version}}\n\n`)
  }
  const checkSession = async () => {
    if (!(await caller.stillSignedIn().catch(() => true))) close()
  }
  // Back from an outage: what was announced meanwhile is lost, so say the version now. The
  // app's other connection to Redis may come back a moment later than the subscriber: retry.
  const catchUp = async () => {
    for (let attempt = 0; attempt < CATCH_UP_ATTEMPTS && !closed; attempt++) {
      const version = await userCache.version(caller.userId)
      if (version !== null) return sendVersion(version)
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_RETRY_MS))
    }
  }
  const onEvent = (event: HubEvent) => {
    if (event.type === 'degraded') send('event: degraded\ndata: {}\n\n')
    else if (event.type === 'recovered') void catchUp()
    else {
      sendVersion(event.version)
      void checkSession()
    }
  }

  send(`retry: ${RECONNECT_MS}\n\n`)
  const { subscribed, stop: stopListening } = hub.listen(caller.userId, onEvent)
  // Each beat also ends a session past its expiry (a timer would overflow: sessions last weeks).
  const heartbeat = setInterval(() => {
    if (caller.expiresAt && Date.now() >= caller.expiresAt.getTime()) close()
    else send(': keep-alive\n\n')
  }, HEARTBEAT_MS)
  const close = () => {
    if (closed) return
    closed = true
    clearInterval(heartbeat)
    stopListening()
    openStreams.delete(close)
    liveStreams.dec()
    caller.signal.removeEventListener('abort', close)
    sink.end()
  }
  openStreams.add(close)
  liveStreams.inc()
  caller.signal.addEventListener('abort', close)
  if (caller.signal.aborted) close() // gone before the stream opened
  // Subscribed first, reading second: a write between the two is heard, never missed. (While
  // Redis is away the subscription waits; the version read then fails: `degraded`.)
  void Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_WAIT_MS))])
    .then(() => userCache.version(caller.userId))
    .then(sendVersion)
}

/** Ends every open stream (SIGTERM: clients reconnect elsewhere, and the server can stop). */
export function closeAllStreams(): void {
  for (const close of [...openStreams]) close()
}

const globalForStreams = globalThis as unknown as { liveStreamsOnSigterm?: boolean }
if (!globalForStreams.liveStreamsOnSigterm) {
  globalForStreams.liveStreamsOnSigterm = true
  process.once('SIGTERM', closeAllStreams)
  process.once('SIGINT', closeAllStreams)
}
