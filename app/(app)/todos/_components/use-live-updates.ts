'use client'
import { useRouter } from 'next/navigation'
import { useEffect, useRef, useState, useTransition } from 'react'
import { parseVersionMessage } from '@/lib/live-event'

/**
 * Whether changes made elsewhere show at once ('live'), or only on the fallback timer; 'connecting'
 * until the stream (or the tab holding it) first answers.
 */
export type LiveStatus = 'connecting' | 'live' | 'degraded' | 'offline'

/** While not live, the page refreshes this often (the fallback). */
const FALLBACK_REFRESH_MS = 30_000

/** What the tab holding the stream tells the other tabs of the browser. */
type TabMessage = { type: 'version'; version: number } | { type: 'status'; status: LiveStatus } | { type: 'hello' }

/**
 * Keeps the list up to date with changes made elsewhere (another tab, device or API client): the
 * server's live stream (GET /api/events) says when the user's version moves past the one the page
 * was rendered at, and the page then refreshes its server data (`router.refresh()`), which keeps
 * what the user is typing and the changes still in flight (client state survives a refresh).
 *
 * One browser holds one stream, however many tabs: browsers allow six connections per host over
 * HTTP/1.1, so the tab holding a Web Lock opens it and passes what it hears to the others over a
 * BroadcastChannel; when that tab closes, the lock passes to another. While the page's own changes
 * are saving (`busy`) a refresh waits: their answer brings the new version anyway.
 */
export function useLiveUpdates({ userId, version, busy }: { userId: number; version: number | null; busy: boolean }): LiveStatus {
  const router = useRouter()
  const [, startTransition] = useTransition()
  const [status, setStatus] = useState<LiveStatus>('connecting')
  // The newest version heard of, and the newest one a refresh was asked for.
  const [wanted, setWanted] = useState<number>(-1)
  const refreshedFor = useRef<number>(version ?? -1)

  useEffect(() => {
    if (busy || wanted <= (version ?? -1) || wanted <= refreshedFor.current) return
    refreshedFor.current = wanted
    startTransition(() => router.refresh())
  }, [busy, wanted, version, router])

  useEffect(() => {
    if (typeof EventSource === 'undefined') return
    const heard = (next: number) => setWanted((current) => Math.max(current, next))
    const name = `todos-live:${userId}`
    const tabs = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name)
    let leaderState: { version: number; status: LiveStatus } | null = null
    let stopLeading: (() => void) | null = null

    const lead = () =>
      new Promise<void>((resolve) => {
        const source = new EventSource('/api/events')
        leaderState = { version: -1, status: 'connecting' }
        const tell = (message: TabMessage) => tabs?.postMessage(message)
        const setShared = (next: LiveStatus) => {
          if (!leaderState || leaderState.status === next) return
          leaderState.status = next
          setStatus(next)
          tell({ type: 'status', status: next })
        }
        source.addEventListener('open', () => setShared('live'))
        source.addEventListener('todos', (event) => {
          const next = parseVersionMessage((event as MessageEvent<string>).data)
          if (next === null || !leaderState) return
          leaderState.version = Math.max(leaderState.version, next)
          setShared('live')
          heard(next)
          tell({ type: 'version', version: next })
        })
        source.addEventListener('degraded', () => setShared('degraded'))
        source.addEventListener('error', () => {
          if (source.readyState === EventSource.CLOSED) {
            // Refused (the session ended, or the server is gone for good): let the page find out
            // (a signed-out page sends the viewer to the log-in page), and stop leading.
            setShared(navigator.onLine ? 'degraded' : 'offline')
            startTransition(() => router.refresh())
            stop()
          } else setShared(navigator.onLine ? 'degraded' : 'offline')
        })
        const stop = () => {
          source.close()
          leaderState = null
          stopLeading = null
          resolve()
        }
        stopLeading = stop
      })

    const onMessage = (event: MessageEvent<TabMessage>) => {
      const message = event.data
      if (message.type === 'version') heard(message.version)
      else if (message.type === 'status') setStatus(message.status)
      else if (message.type === 'hello' && leaderState) {
        tabs?.postMessage({ type: 'status', status: leaderState.status } satisfies TabMessage)
        if (leaderState.version >= 0) tabs?.postMessage({ type: 'version', version: leaderState.version } satisfies TabMessage)
      }
    }
    tabs?.addEventListener('message', onMessage)

    const abort = new AbortController()
    if (tabs && 'locks' in navigator) {
      navigator.locks.request(name, { signal: abort.signal }, lead).catch(() => {})
      tabs.postMessage({ type: 'hello' } satisfies TabMessage)
    } else {
      void lead()
    }

    const online = () => setStatus((current) => (current === 'offline' ? 'degraded' : current))
    const offline = () => setStatus('offline')
    window.addEventListener('online', online)
    window.addEventListener('offline', offline)
    return () => {
      abort.abort()
      stopLeading?.()
      tabs?.removeEventListener('message', onMessage)
      tabs?.close()
      window.removeEventListener('online', online)
      window.removeEventListener('offline', offline)
    }
  }, [userId, router])

  // Not live: the page still catches up, on a timer, while the browser is online.
  useEffect(() => {
    if (status === 'live' || status === 'connecting') return
    const timer = setInterval(() => {
      if (navigator.onLine) startTransition(() => router.refresh())
    }, FALLBACK_REFRESH_MS)
    return () => clearInterval(timer)
  }, [status, router])

  return status
}

