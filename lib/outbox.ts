import { z } from 'zod'
import { applyTodoChange, isDueView, type TodoChange, type TodoListPage } from './todo-list'
import { DETAILS_FIELDS, type DetailsFields } from './todo-details'
import { IdempotencyKeySchema } from './validation/idempotency'
import type { TodoView } from './validation/todo'
import { MAX_NOTICE_IDS } from './trash-notice'

// The list page's outbox (docs/decisions/0016-nothing-typed-is-lost.md): every change the page
// makes is written here, in the browser's localStorage, before it is sent, and leaves when the
// server has applied it. The pure parts: what a change is, how it is stored, and how the pending
// ones are shown over whatever list the server last sent.

const Id = z.number().int().positive().max(2_147_483_647)
const Text = z.string().max(4_096) // the server judges the text itself; this only bounds what is stored

/** A change as the page makes it and the server action `applyChangeAction` applies it. */
export const OutboxChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add'), contents: Text }),
  z.object({ type: z.literal('set-done'), id: Id, isDone: z.boolean() }),
  /** Empty text moves the todo to the trash, as the edit field promises. */
  z.object({ type: z.literal('edit'), id: Id, contents: Text }),
  z.object({ type: z.literal('delete'), id: Id }),
  z.object({ type: z.literal('set-all-done'), isDone: z.boolean() }),
  z.object({ type: z.literal('clear-completed') }),
  /**
   * The details form as typed (the server reads it in the viewer's zone), and what the page
   * showed for it (instants as ISO text; `repeat` absent keeps the rule).
   */
  z.object({
    type: z.literal('set-details'),
    id: Id,
    fields: z.object(Object.fromEntries(DETAILS_FIELDS.map((name) => [name, z.string().max(64)])) as Record<keyof DetailsFields, z.ZodString>),
    preview: z
      .object({ dueAt: z.string().nullable(), remindAt: z.string().nullable(), repeat: z.string().nullable().optional() })
      .nullable(),
  }),
  z.object({ type: z.literal('undo'), ids: z.array(Id).max(MAX_NOTICE_IDS) }),
])

export type OutboxChange = z.infer<typeof OutboxChangeSchema>

/** One unsent change: its id (made in the browser, the server's Idempotency-Key) and when it was made. */
export type OutboxEntry = { key: string; change: OutboxChange; at: number }

const EntrySchema = z.object({ key: IdempotencyKeySchema, change: OutboxChangeSchema, at: z.number() })

/** The localStorage key of one user's outbox: per user, so that another account on this browser never sends it. */
export function outboxStorageKey(userId: number): string {
  return `todos.outbox.v1.${userId}`
}

/** The stored outbox; anything unreadable (another version, a hand edit) is skipped, never thrown. */
export function parseOutbox(raw: string | null): OutboxEntry[] {
  if (!raw) return []
  let data: unknown
  try {
    data = JSON.parse(raw)
  } catch {
    return []
  }
  if (!Array.isArray(data)) return []
  return data.flatMap((item) => {
    const entry = EntrySchema.safeParse(item)
    return entry.success ? [entry.data] : []
  })
}

export function serializeOutbox(entries: readonly OutboxEntry[]): string {
  return JSON.stringify(entries)
}

/** The list page's own change (lib/todo-list.ts) that shows `change` as made; null when it shows nothing there. */
export function shownChange(change: OutboxChange): TodoChange | null {
  switch (change.type) {
    case 'add':
    case 'undo':
      return null // a new todo is shown as a row of its own; restored ones come back with the server's list
    case 'edit':
      return change.contents.trim() === ''
        ? { type: 'delete', id: change.id }
        : { type: 'edit', id: change.id, contents: change.contents.trim() }
    case 'set-details':
      return change.preview ? { type: 'set-details', id: change.id, ...change.preview } : null
    default:
      return change
  }
}

/** A new todo not yet saved: shown at the end of the list. */
export type PendingAdd = { key: string; contents: string }

/**
 * The list as it will be once every pending change is applied, in order, over the server's
 * `list` (whichever arrived last), and the new todos still to be saved. A new todo counts as
 * active at once; it is listed at the end of the last page of the views that would list it.
 */
export function applyPending(list: TodoListPage, entries: readonly OutboxEntry[]): { view: TodoListPage; adding: PendingAdd[] } {
  let view = list
  const adding: PendingAdd[] = []
  for (const entry of entries) {
    const { change } = entry
    if (change.type === 'add') {
      const contents = change.contents.trim()
      if (contents === '') continue
      const listed = view.filter === 'all' || view.filter === 'active'
      view = { ...view, activeCount: view.activeCount + 1, matchingCount: view.matchingCount + (listed ? 1 : 0) }
      if (listed && !isDueView(view.filter) && view.page === view.pageCount) adding.push({ key: entry.key, contents })
      continue
    }
    const shown = shownChange(change)
    if (shown) view = applyTodoChange(view, shown)
  }
  return { view, adding }
}

/** A list as the server read it, with the user's version it is at least as new as (null: unknown). */
export type VersionedList = { list: TodoListPage; version: number | null }

/**
 * A change's answer: the list once the change was made, for the view the page asked for (the
 * server clamps a page past the end to the last one), and the rendered list it arrived over.
 */
export type AnsweredList = VersionedList & { asked: TodoView; over: TodoListPage }

/**
 * Which list the page shows: the one it was rendered with, or the one the last change's answer
 * carried. The answer only stands for the view it was read for (a navigation to another filter or
 * page brings its own list), and only while nothing newer was rendered: by version where both are
 * known, else by whether the page was rendered again since the answer came (a refresh then wins).
 */
export function newerList(rendered: VersionedList, answered: AnsweredList | null): VersionedList {
  if (!answered) return rendered
  if (answered.asked.filter !== rendered.list.filter || answered.asked.page !== rendered.list.page) return rendered
  if (answered.version !== null && rendered.version !== null) return answered.version > rendered.version ? answered : rendered
  return answered.over === rendered.list ? answered : rendered
}

/** The wait before sending again after the server could not be reached: 2 s, doubling, at most a minute. */
export function retryDelay(failures: number): number {
  return Math.min(60_000, 2_000 * 2 ** Math.max(0, failures - 1))
}
