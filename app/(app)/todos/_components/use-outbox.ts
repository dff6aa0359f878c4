'use client'
import { unstable_isUnrecognizedActionError, useRouter } from 'next/navigation'
import { startTransition, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react'
import {
  applyPending,
  newerList,
  OutboxChangeSchema,
  outboxStorageKey,
  parseOutbox,
  retryDelay,
  serializeOutbox,
  type AnsweredList,
  type OutboxChange,
  type OutboxEntry,
} from '@/lib/outbox'
import type { TodoListPage } from '@/lib/todo-list'
import { applyChangeAction, type ChangeResult } from '../actions'

// The page's outbox (docs/decisions/0016-nothing-typed-is-lost.md). Every change is written to
// localStorage synchronously, in the event that made it (a reload may follow in the same tick),
// then sent, one at a time and in order, with its key; it leaves the outbox when the server has
// applied it (or refused it). What is still in the outbox is shown over whatever list the server
// sent last (a render of the page, or the answer to a change: lib/outbox.ts `newerList`; the
// live updates may bring a new render at any moment), so a pending change never flickers out:
// its removal commits in the same transition as the list the server sent back with its answer.
// Tabs share the outbox; a Web Lock lets one send at a time, and the server's receipts make a
// change sent twice apply once anyway.

type Options = {
  /** The change's answer, when this page is still open to hear it (a refusal's error, the undo notice). */
  onResult?: (result: ChangeResult) => void
}

/** One tab's view of a user's outbox. */
export type Outbox = {
  /** The server's list with every pending change applied. */
  view: TodoListPage
  /** The version of the server's list shown (see useLiveUpdates). */
  version: number | null
  /** New todos not yet saved, in the order typed. */
  adding: { key: string; contents: string }[]
  /** How many changes are not yet confirmed by the server. */
  unsent: number
  online: boolean
  /** Refusals of changes whose page is gone (sent again after a reload): shown once, then cleared. */
  refusals: string[]
  dismissRefusals: () => void
  /** Stores the change (synchronously) and sends it. */
  enqueue: (change: OutboxChange, options?: Options) => void
}

function read(storageKey: string): OutboxEntry[] {
  try {
    return parseOutbox(window.localStorage.getItem(storageKey))
  } catch {
    return [] // storage disabled
  }
}

function write(storageKey: string, entries: readonly OutboxEntry[]) {
  try {
    if (entries.length === 0) window.localStorage.removeItem(storageKey)
    else window.localStorage.setItem(storageKey, serializeOutbox(entries))
  } catch {
    // Storage full or disabled: the change is still sent from memory, it only cannot outlive the tab.
  }
}

/** Runs `work` holding the user's outbox lock (one sending tab at a time), or at once without Web Locks. */
function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (typeof navigator === 'undefined' || !navigator.locks) return work()
  return navigator.locks.request(name, work) as Promise<T>
}

const subscribeOnline = (onChange: () => void) => {
  window.addEventListener('online', onChange)
  window.addEventListener('offline', onChange)
  return () => {
    window.removeEventListener('online', onChange)
    window.removeEventListener('offline', onChange)
  }
}

/** Whether the browser says it is online (true on the server and during hydration). */
function useOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  )
}

type Sent = 'sent' | 'empty' | 'failed' | 'stale'

export function useOutbox(userId: number, rendered: TodoListPage, renderedVersion: number | null): Outbox {
  const storageKey = outboxStorageKey(userId)
  const lockName = `todos-outbox-${userId}`
  const router = useRouter()
  const online = useOnline()
  // What this tab shows as pending: its copy of the stored outbox (read after hydration).
  const [entries, setEntries] = useState<OutboxEntry[]>([])
  // Changes another tab confirmed: shown until this tab gets a list newer than the confirmation.
  const [settling, setSettling] = useState<{ list: TodoListPage; entries: OutboxEntry[] } | null>(null)
  // The list the last change's answer carried: shown until the page is rendered anew.
  const [answered, setAnswered] = useState<AnsweredList | null>(null)
  const { list, version } = newerList({ list: rendered, version: renderedVersion }, answered)
  const [refusals, setRefusals] = useState<string[]>([])
  // The server runs a newer build that does not know this page's action: retrying cannot help.
  // Thrown while rendering, so the error page says "out of date, reload"; the change stays stored
  // and the reloaded page sends it.
  const [staleBuild, setStaleBuild] = useState<unknown>(null)
  if (staleBuild) throw staleBuild
  const callbacks = useRef(new Map<string, (result: ChangeResult) => void>())
  const sending = useRef(false)
  const failures = useRef(0)
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const listRef = useRef(list)
  const renderedRef = useRef(rendered)
  const entriesRef = useRef(entries)
  useEffect(() => {
    listRef.current = list
    renderedRef.current = rendered
    entriesRef.current = entries
  })

  /** Sends the oldest stored change, inside a transition, so that its removal and the server's new list commit together. */
  const sendNext = useCallback(
    () =>
      new Promise<Sent>((resolve) => {
        startTransition(async () => {
          const outcome = await withLock(lockName, async (): Promise<Sent> => {
            const next = read(storageKey)[0]
            if (!next) return 'empty'
            // The answer carries the list this page shows, with the change made.
            const asked = { filter: renderedRef.current.filter, page: renderedRef.current.page }
            let result: ChangeResult
            try {
              result = await applyChangeAction(next.key, next.change, asked)
            } catch (error) {
              if (unstable_isUnrecognizedActionError(error)) {
                setStaleBuild(error)
                return 'stale'
              }
              return 'failed' // offline, or the server could not apply it now: it stays, to be sent again
            }
            write(
              storageKey,
              read(storageKey).filter((entry) => entry.key !== next.key),
            )
            const { answer } = result
            startTransition(() => {
              setEntries((current) => current.filter((entry) => entry.key !== next.key))
              if (answer) setAnswered({ ...answer, asked, over: renderedRef.current })
            })
            const callback = callbacks.current.get(next.key)
            callbacks.current.delete(next.key)
            if (callback) callback(result)
            else if (!result.ok && result.error) {
              const error = result.error
              startTransition(() => setRefusals((current) => [...current, error]))
            }
            return 'sent'
          }).catch((): Sent => 'failed')
          resolve(outcome)
        })
      }),
    [lockName, storageKey],
  )

  const flush = useCallback(async () => {
    if (sending.current) return
    sending.current = true
    clearTimeout(retryTimer.current)
    try {
      for (;;) {
        if (!navigator.onLine) return
        const outcome = await sendNext()
        if (outcome === 'stale') return
        if (outcome === 'empty') {
          failures.current = 0
          return
        }
        if (outcome === 'failed') {
          failures.current += 1
          retryTimer.current = setTimeout(() => void flush(), retryDelay(failures.current))
          return
        }
        failures.current = 0
      }
    } finally {
      sending.current = false
    }
  }, [sendNext])

  // On open: what is stored (from an earlier visit, or a tab closed before it was sent) is shown and sent.
  useEffect(() => {
    // Reading storage is possible only after hydration; the server rendered the list without it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setEntries(read(storageKey))
    void flush()
    const onStorage = (event: StorageEvent) => {
      if (event.key !== storageKey) return
      const stored = parseOutbox(event.newValue)
      const kept = new Set(stored.map((entry) => entry.key))
      const confirmed = entriesRef.current.filter((entry) => !kept.has(entry.key))
      setEntries(stored)
      if (confirmed.length === 0) return
      // Sent by another tab: still shown until this tab has a list newer than that.
      const shownList = listRef.current
      setSettling((earlier) => ({ list: shownList, entries: [...(earlier?.list === shownList ? earlier.entries : []), ...confirmed] }))
      startTransition(() => router.refresh())
    }
    const onOnline = () => void flush()
    window.addEventListener('storage', onStorage)
    window.addEventListener('online', onOnline)
    return () => {
      window.removeEventListener('storage', onStorage)
      window.removeEventListener('online', onOnline)
      clearTimeout(retryTimer.current)
    }
  }, [storageKey, flush, router])

  const enqueue = useCallback(
    (change: OutboxChange, options: Options = {}) => {
      const key = crypto.randomUUID()
      if (!OutboxChangeSchema.safeParse(change).success) {
        // Not a change this page makes (a form whose fields were tampered with): not kept, not
        // shown; sent once so that the server says no, as it would to the form's plain post.
        void applyChangeAction(key, change).then(options.onResult, () => {})
        return
      }
      const entry: OutboxEntry = { key, change, at: Date.now() }
      // Stored first, synchronously: whatever happens to this tab next, the change is kept.
      write(storageKey, [...read(storageKey), entry])
      if (options.onResult) callbacks.current.set(entry.key, options.onResult)
      setEntries((current) => [...current, entry])
      void flush()
    },
    [storageKey, flush],
  )

  const shown = useMemo(() => {
    const settled = settling && settling.list === list ? settling.entries : []
    const keys = new Set(entries.map((entry) => entry.key))
    return [...settled.filter((entry) => !keys.has(entry.key)), ...entries]
  }, [entries, settling, list])
  const { view, adding } = useMemo(() => applyPending(list, shown), [list, shown])

  return {
    view,
    version,
    adding,
    unsent: entries.length,
    online,
    refusals,
    dismissRefusals: useCallback(() => setRefusals([]), []),
    enqueue,
  }
}

/**
 * A form's submit, taken by the outbox in the event itself (so the change is stored before
 * anything else can happen to the tab), with the form's own fields. Before and without
 * JavaScript the handler is not there and the form posts to its server action.
 */
export function outboxSubmit(event: FormEvent<HTMLFormElement>, take: (form: FormData) => void) {
  event.preventDefault()
  take(new FormData(event.currentTarget))
}
