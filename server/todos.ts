import 'server-only'
import { TZDate } from '@date-fns/tz'
import { addDays, startOfDay } from 'date-fns'
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import { todo, user } from '@/db/schema'
import { nextOccurrence } from '@/lib/repeat'
import type { TodoItem, TodoListPage } from '@/lib/todo-list'
import type { NewTodoInput, TodoFilter, TodoPatch } from '@/lib/validation/todo'
import { apiTodo } from './api/todo-json'
import { userCache } from './cache'
import { db } from './db'
import { dataFunction } from './db-errors'
import { syncReminder, syncReminders } from './jobs/reminders'
import { afterCommit, executor, transaction } from './db-scope'
import { appliedOnce } from './idempotency'
import { ensureRoomFor, writeFunction } from './limits'
import { live } from './todo-scope'
import { readTimeZone, timeZoneOf, type Viewer } from './users'

export const TODO_PAGE_SIZE = 50

export type { TodoItem, TodoListPage }

const todoColumns = {
  id: todo.id,
  contents: todo.contents,
  isDone: todo.isDone,
  dueAt: todo.dueAt,
  remindAt: todo.remindAt,
  repeat: todo.repeat,
}

type TodoRow = { id: number; contents: string; isDone: boolean; dueAt: Date | null; remindAt: Date | null; repeat: string | null }

/** An instant as the API and the cache carry it: RFC 3339 in UTC, whole seconds, `Z`. */
export function isoInstant(instant: Date | null): string | null {
  return instant ? instant.toISOString().replace(/\.\d{3}Z$/, 'Z') : null
}

function toItem(row: TodoRow): TodoItem {
  return {
    id: row.id,
    contents: row.contents,
    isDone: row.isDone,
    dueAt: isoInstant(row.dueAt),
    remindAt: isoInstant(row.remindAt),
    repeat: row.repeat,
  }
}

/** DATETIME keeps whole seconds: cut the rest here, so that what is answered is what is stored. */
const toSecond = (instant: Date | null | undefined): Date | null =>
  instant ? new Date(Math.floor(instant.getTime() / 1000) * 1000) : null

/** The instants that bound Today and Upcoming in `timeZone` at `now`: midnights, DST-aware. */
export function dueWindows(timeZone: string, now: Date = new Date()) {
  const today = startOfDay(new TZDate(now.getTime(), timeZone))
  return {
    startOfToday: new Date(today.getTime()),
    startOfTomorrow: new Date(addDays(today, 1).getTime()),
    // Upcoming: today and the six days after it (seven calendar days in the viewer's zone).
    endOfUpcoming: new Date(addDays(today, 7).getTime()),
  }
}

type DueWindows = ReturnType<typeof dueWindows>

/**
 * Today: open todos due before tomorrow (overdue included). Upcoming: open todos due from today's
 * midnight for seven days. Both are ranges of todo_user_id_is_done_due_at_idx.
 */
function filterCondition(filter: TodoFilter, windows: DueWindows): SQL | undefined {
  if (filter === 'active') return eq(todo.isDone, false)
  if (filter === 'completed') return eq(todo.isDone, true)
  if (filter === 'today') return and(eq(todo.isDone, false), lt(todo.dueAt, windows.startOfTomorrow))
  if (filter === 'upcoming') {
    return and(eq(todo.isDone, false), gte(todo.dueAt, windows.startOfToday), lt(todo.dueAt, windows.endOfUpcoming))
  }
  return undefined
}

const isDueView = (filter: TodoFilter) => filter === 'today' || filter === 'upcoming'

/**
 * How many of the viewer's todos there are, how many are done and (Today and Upcoming) how many the
 * view shows: counted in SQL, never in memory.
 */
function countsFor(viewerId: number, filter: TodoFilter, windows: DueWindows) {
  const matching = isDueView(filter)
    ? sql<number>`(select count(*) from ${todo} where ${todo.userId} = ${viewerId} and ${live()} and ${filterCondition(filter, windows)})`
    : sql<number>`null`
  return {
    total: sql<number>`(select count(*) from ${todo} where ${todo.userId} = ${viewerId} and ${live()})`.mapWith(Number),
    completed: sql<number>`(select count(*) from ${todo} where ${todo.userId} = ${viewerId} and ${live()} and ${todo.isDone})`.mapWith(
      Number,
    ),
    matching: matching.mapWith(Number),
  }
}

/**
 * The cached page's name, with the version of its shape (TodoListPage): a new one when the shape
 * changes, so that the instances of two builds in a rolling deploy never read each other's pages.
 */
const PAGE_KEY = 'page.2'

/**
 * One page of the viewer's todos, oldest first, with the viewer's name and the counts, from one
 * joined query: user ⋈ (that page of todo). The page is a derived table so that MariaDB reads just
 * its 50 rows in index order; joining the whole of todo and sorting afterwards read and sorted
 * all of the user's rows for every page (EXPLAIN: "Using temporary; Using filesort"). A LEFT JOIN,
 * so that a user without todos (or a page past the end) still gets the row that carries the name
 * and the counts. Null when the account no longer exists. A page past the end is clamped to the
 * last page.
 */
export const listTodos = dataFunction(
  async (
    viewer: Viewer,
    { filter = 'all', page = 1 }: { filter?: TodoFilter; page?: number } = {},
  ): Promise<TodoListPage | null> => {
    if (!isDueView(filter)) {
      return userCache.read(viewer.id, `${PAGE_KEY}:${filter}:${page}`, () => loadTodoPage(viewer, filter, page, null))
    }
    // Today and Upcoming end at the viewer's midnights: the cached page is valid until the day changes.
    const windows = dueWindows(await timeZoneOf(viewer))
    const day = isoInstant(windows.startOfToday)
    return userCache.read(viewer.id, `${PAGE_KEY}:${filter}:${day}:${page}`, () => loadTodoPage(viewer, filter, page, windows))
  },
)

/**
 * A list page and the user's version it is at least as new as (null: Redis is away): the version is
 * asked first, on the same connection as the cached page, so the page read after it cannot be
 * older. The page renders with both; a change's answer carries both; the live stream then says
 * when a newer version exists (server/live).
 */
export async function listTodosWithVersion(viewer: Viewer, view: { filter?: TodoFilter; page?: number }) {
  const [version, list] = await Promise.all([userCache.version(viewer.id), listTodos(viewer, view)])
  return { version, list }
}

const NO_WINDOWS = dueWindows('UTC', new Date(0))

/**
 * The index each view's page is read through, in the page's order. Named, not left to MariaDB:
 * on a table of 50,000 rows it read the plain list of a 5,000-todo account by scanning the
 * primary key (49,807 rows examined for a page of 50; the bench of 2026-12-04), as it did the
 * API's list (allTodosQuery).
 */
const PAGE_INDEX: Record<TodoFilter, string> = {
  all: 'todo_user_id_id_idx',
  active: 'todo_user_id_is_done_id_idx',
  completed: 'todo_user_id_is_done_id_idx',
  today: 'todo_user_id_is_done_due_at_idx',
  upcoming: 'todo_user_id_is_done_due_at_idx',
}

/**
 * The page's query, built but not run (bench/lib/queries.ts holds its SQL, checked against this).
 * Today and Upcoming are sorted by due time (then id), read in that order from
 * todo_user_id_is_done_due_at_idx; the other views by id.
 */
export function todoPageQuery(viewerId: number, filter: TodoFilter, page: number, windows: DueWindows = NO_WINDOWS) {
  const byDue = isDueView(filter)
  const pageOfTodos = executor()
    .select(todoColumns)
    .from(todo, { forceIndex: PAGE_INDEX[filter] })
    .where(and(eq(todo.userId, viewerId), live(), filterCondition(filter, windows)))
    .orderBy(...(byDue ? [asc(todo.dueAt), asc(todo.id)] : [asc(todo.id)]))
    .limit(TODO_PAGE_SIZE)
    .offset((page - 1) * TODO_PAGE_SIZE)
    .as('page')
  return executor()
    .select({
      username: user.username,
      todo: {
        id: pageOfTodos.id,
        contents: pageOfTodos.contents,
        isDone: pageOfTodos.isDone,
        dueAt: pageOfTodos.dueAt,
        remindAt: pageOfTodos.remindAt,
        repeat: pageOfTodos.repeat,
      },
      ...countsFor(viewerId, filter, windows),
      // From the user row the page joins anyway: the page needs no query of its own for it.
      canRemind: sql<boolean>`(${user.email} is not null and ${user.emailVerifiedAt} is not null)`.mapWith(Boolean),
    })
    .from(user)
    .leftJoin(pageOfTodos, sql`true`)
    .where(eq(user.id, viewerId))
    .orderBy(...(byDue ? [asc(pageOfTodos.dueAt), asc(pageOfTodos.id)] : [asc(pageOfTodos.id)]))
}

async function loadTodoPage(
  viewer: Viewer,
  filter: TodoFilter,
  page: number,
  windows: DueWindows | null,
): Promise<TodoListPage | null> {
  const rows = await todoPageQuery(viewer.id, filter, page, windows ?? NO_WINDOWS)

  const first = rows[0]
  if (!first) return null // the account is gone

  const completedCount = first.completed
  const activeCount = first.total - completedCount
  const matching =
    filter === 'all' ? first.total : filter === 'active' ? activeCount : filter === 'completed' ? completedCount : first.matching
  const pageCount = Math.max(1, Math.ceil(matching / TODO_PAGE_SIZE))
  if (page > pageCount) return listTodos(viewer, { filter, page: pageCount })
  return {
    username: first.username,
    todos: rows.flatMap((row) => (row.todo ? [toItem(row.todo)] : [])),
    filter,
    page,
    pageCount,
    activeCount,
    completedCount,
    matchingCount: matching,
    canRemind: first.canRemind,
  }
}

/** The API list's optional due range: `dueAfter` ≤ due_at < `dueBefore`; todos without a due date are left out. */
export type DueRange = { dueBefore?: Date; dueAfter?: Date }

/**
 * All of the viewer's todos for the JSON API, by id, from the user ⋈ todo join, as the JSON text of
 * the answer's array. An inner join, so that MariaDB reads them in the order of
 * `todo_user_id_id_idx` (either way) instead of sorting them all (which it does for a LEFT JOIN).
 * The caller has just checked that the account exists. Cached as that text: a hit is sent as
 * stored, never parsed into objects and serialised again (for 5,000 todos, 0.5 MB of JSON).
 */
export const listAllTodosJson = dataFunction(
  async (viewer: Viewer, order: 'ASC' | 'DESC' = 'ASC', range: DueRange = {}): Promise<string> => {
    const bounds = range.dueAfter || range.dueBefore ? `:${isoInstant(range.dueAfter ?? null)}:${isoInstant(range.dueBefore ?? null)}` : ''
    // Not `api:`, where builds before this one kept a list of TodoItem (during a rolling deploy both read).
    return userCache.readText(viewer.id, `api-json:${order}${bounds}`, async () =>
      JSON.stringify((await allTodosQuery(viewer.id, order, range)).map((row) => apiTodo(toItem(row)))),
    )
  },
)

/** The API list's query, built but not run (bench/lib/queries.ts holds its SQL, checked against this). */
export function allTodosQuery(viewerId: number, order: 'ASC' | 'DESC', range: DueRange = {}) {
  return executor()
    .select(todoColumns)
    .from(user)
    // The viewer's rows in id order, as the index holds them. Left to choose, MariaDB intersected
    // it with the trash purge's todo_deleted_at_idx (every live row matches deleted_at IS NULL) and
    // sorted the whole list (5,000 todos: 71 ms of CPU), or scanned the table by its primary key.
    .innerJoin(todo, eq(todo.userId, user.id), { forceIndex: 'todo_user_id_id_idx' })
    .where(
      and(
        eq(user.id, viewerId),
        live(),
        range.dueAfter ? gte(todo.dueAt, range.dueAfter) : undefined,
        range.dueBefore ? lt(todo.dueAt, range.dueBefore) : undefined,
      ),
    )
    .orderBy(order === 'DESC' ? desc(todo.id) : asc(todo.id))
}

/** The viewer's todo with this id, or null when it is missing or someone else's. */
export const getTodo = dataFunction((viewer: Viewer, id: number) => readTodo(viewer, id))

/** getTodo inside a write: through the write's transaction, when it has one. */
async function readTodo(viewer: Viewer, id: number): Promise<TodoItem | null> {
  const [found] = await executor()
    .select(todoColumns)
    .from(todo)
    .where(and(eq(todo.id, id), eq(todo.userId, viewer.id), live()))
    .limit(1)
  return found ? toItem(found) : null
}

/** A write that breaks a rule only the data layer can judge (the clock, or the todo as stored). */
export class TodoRuleError extends Error {
  constructor(
    readonly field: 'dueAt' | 'remindAt' | 'repeat',
    /** A message key under `validation.` (messages/<locale>.json). */
    readonly key: 'validation.remind.past' | 'validation.repeat.needsDue',
  ) {
    super(key)
    this.name = 'TodoRuleError'
  }
}

type Schedule = { dueAt: Date | null; remindAt: Date | null; repeat: string | null }

/** A reminder set in this write must be ahead; a repeat needs a due date to step from. */
function checkSchedule(next: Schedule, remindAtSet: boolean, now: Date) {
  if (remindAtSet && next.remindAt && next.remindAt.getTime() < Math.floor(now.getTime() / 1000) * 1000) {
    throw new TodoRuleError('remindAt', 'validation.remind.past')
  }
  if (next.repeat && !next.dueAt) throw new TodoRuleError('repeat', 'validation.repeat.needsDue')
}

/**
 * What completing a todo does: a repeating one moves to its next occurrence (due_at after both
 * the old due time and now, in the owner's zone; remind_at by the same amount; COUNT lowered) and
 * stays open; one whose rule has ended, or any other, is done.
 */
function completed(schedule: Schedule, timeZone: string, now: Date): Schedule & { isDone: boolean } {
  if (!schedule.repeat || !schedule.dueAt) return { ...schedule, isDone: true }
  const next = nextOccurrence(schedule.repeat, schedule.dueAt, timeZone, now)
  if (!next) return { ...schedule, isDone: true }
  const shift = next.dueAt.getTime() - schedule.dueAt.getTime()
  return {
    dueAt: next.dueAt,
    remindAt: schedule.remindAt ? new Date(schedule.remindAt.getTime() + shift) : null,
    repeat: next.repeat,
    isDone: false,
  }
}

/**
 * Adds a todo owned by the viewer. Throws TodoRuleError for a reminder in the past or a repeat
 * without a due date. Created done, a repeating todo is created at its next occurrence instead.
 */
export const createTodo = writeFunction(async (viewer: Viewer, input: NewTodoInput): Promise<TodoItem> => {
  await ensureRoomFor(viewer, 1, executor())
  const now = new Date()
  let values: Schedule & { isDone: boolean } = {
    dueAt: toSecond(input.dueAt),
    remindAt: toSecond(input.remindAt),
    repeat: input.repeat ?? null,
    isDone: input.isDone,
  }
  checkSchedule(values, values.remindAt !== null, now)
  if (values.isDone && values.repeat) values = completed(values, await timeZoneOf(viewer), now)
  const [created] = await executor()
    .insert(todo)
    .values({ contents: input.contents, userId: viewer.id, ...values })
    .$returningId()
  if (!created) throw new Error('INSERT into todo returned no id')
  await afterCommit(() => userCache.invalidate(viewer.id))
  await afterCommit(() => syncReminder(created.id))
  return toItem({ id: created.id, contents: input.contents, ...values })
})

const touchesSchedule = (patch: TodoPatch) =>
  patch.isDone === true || patch.dueAt !== undefined || patch.remindAt !== undefined || patch.repeat !== undefined

/**
 * Changes the viewer's todo; null when it is missing or someone else's. Completing a repeating
 * todo moves it to its next occurrence (see `completed`). Throws TodoRuleError when the result
 * would have a reminder set in the past, or a repeat without a due date.
 */
export const updateTodo = writeFunction(async (viewer: Viewer, id: number, patch: TodoPatch): Promise<TodoItem | null> => {
  if (!touchesSchedule(patch)) {
    // Text, or un-completing: one UPDATE, as before due dates.
    const [result] = await executor()
      .update(todo)
      .set({ contents: patch.contents, isDone: patch.isDone })
      .where(and(eq(todo.id, id), eq(todo.userId, viewer.id), live()))
    // mysql2 connects with FOUND_ROWS, so affectedRows counts matched rows, changed or not.
    if (result.affectedRows === 0) return null
    await afterCommit(() => userCache.invalidate(viewer.id))
    if (patch.isDone === false) await afterCommit(() => syncReminder(id))
    return readTodo(viewer, id)
  }
  const now = new Date()
  const updated = await transaction(async (tx) => {
    // Locked, so that two completions of one repeating todo step it twice, never once from a stale due_at.
    // Only the todo: a join with `user` FOR UPDATE locked the user row too, which the same user's
    // other writes hold shared (the foreign keys of their receipts and inserts), so concurrent
    // clicks of one user deadlocked (the bench's clicks, 2026-12-03: 120 of 3,000 toggles failed).
    const [row] = await tx
      .select(todoColumns)
      .from(todo)
      .where(and(eq(todo.id, id), eq(todo.userId, viewer.id), live()))
      .for('update')
    if (!row) return null
    const current = { ...row, timeZone: await readTimeZone(tx, viewer) }
    let next: Schedule & { isDone: boolean } = {
      dueAt: patch.dueAt !== undefined ? toSecond(patch.dueAt) : current.dueAt,
      remindAt: patch.remindAt !== undefined ? toSecond(patch.remindAt) : current.remindAt,
      repeat: patch.repeat !== undefined ? patch.repeat : current.repeat,
      isDone: patch.isDone ?? current.isDone,
    }
    checkSchedule(next, patch.remindAt != null, now)
    if (patch.isDone === true && !current.isDone) next = completed(next, current.timeZone, now)
    const contents = patch.contents ?? current.contents
    await tx
      .update(todo)
      .set({ contents, ...next })
      .where(and(eq(todo.id, id), eq(todo.userId, viewer.id)))
    return toItem({ id, contents, ...next })
  })
  if (!updated) return null
  await afterCommit(() => userCache.invalidate(viewer.id))
  await afterCommit(() => syncReminder(id))
  return updated
})

/**
 * Moves the viewer's todo to the trash; false when it is missing, someone else's or trashed
 * already. Its reminder is cancelled (syncReminder skips trashed todos, and a trigger that fires
 * finds it gone).
 */
export const deleteTodo = writeFunction(async (viewer: Viewer, id: number): Promise<boolean> => {
  const [result] = await executor()
    .update(todo)
    .set({ deletedAt: toSecond(new Date()) })
    .where(and(eq(todo.id, id), eq(todo.userId, viewer.id), live()))
  if (result.affectedRows === 0) return false
  await afterCommit(() => userCache.invalidate(viewer.id))
  await afterCommit(() => syncReminder(id))
  return true
})

/**
 * Marks every one of the viewer's todos done (or not done). Completing all steps each repeating
 * todo to its next occurrence, as completing it alone would. Returns how many there are.
 */
export const setAllDone = writeFunction(async (viewer: Viewer, isDone: boolean): Promise<number> => {
  const now = new Date()
  const { count, reminded } = await transaction(async (tx) => {
    let stepped = 0
    if (isDone) {
      const repeating = await tx
        .select(todoColumns)
        .from(todo)
        .where(and(eq(todo.userId, viewer.id), live(), eq(todo.isDone, false), isNotNull(todo.repeat), isNotNull(todo.dueAt)))
        .for('update')
      const timeZone = repeating.length > 0 ? await readTimeZone(tx, viewer) : 'UTC'
      for (const row of repeating) {
        await tx
          .update(todo)
          .set(completed(row, timeZone, now))
          .where(and(eq(todo.id, row.id), eq(todo.userId, viewer.id)))
      }
      stepped = repeating.length
    }
    // The rest: every todo when un-completing; when completing, all but the open repeating ones just stepped.
    const rest = isDone
      ? and(eq(todo.userId, viewer.id), live(), or(eq(todo.isDone, true), isNull(todo.repeat), isNull(todo.dueAt)))
      : and(eq(todo.userId, viewer.id), live())
    const [result] = await tx.update(todo).set({ isDone }).where(rest)
    const reminded = await tx
      .select({ id: todo.id })
      .from(todo)
      .where(and(eq(todo.userId, viewer.id), live(), isNotNull(todo.remindAt)))
    return { count: result.affectedRows + stepped, reminded: reminded.map((row) => row.id) }
  })
  await afterCommit(() => userCache.invalidate(viewer.id))
  await afterCommit(() => syncReminders(reminded))
  return count
})

/** Moves the viewer's completed todos to the trash. Returns how many went (one write: trashCompleted counts it). */
export const clearCompleted = dataFunction(async (viewer: Viewer): Promise<number> => (await trashCompleted(viewer)).length)

/**
 * Moves the viewer's completed todos to the trash and returns their ids (for the undo notice). One
 * instant for all of them, so that they sit together in the trash.
 */
export const trashCompleted = writeFunction(async (viewer: Viewer): Promise<number[]> => {
  const deletedAt = toSecond(new Date())
  const ids = await transaction(async (tx) => {
    const done = and(eq(todo.userId, viewer.id), live(), eq(todo.isDone, true))
    const rows = await tx.select({ id: todo.id }).from(todo).where(done).for('update')
    if (rows.length === 0) return []
    await tx.update(todo).set({ deletedAt }).where(done)
    return rows.map((row) => row.id)
  })
  if (ids.length === 0) return ids
  await afterCommit(() => userCache.invalidate(viewer.id))
  await afterCommit(() => syncReminders(ids))
  return ids
})

// --- The trash -------------------------------------------------------------------------------------

/** A trashed todo: the todo and when it went to the trash (ISO, UTC). */
export type TrashedTodo = TodoItem & { deletedAt: string }

const trashed = (viewerId: number) => and(eq(todo.userId, viewerId), isNotNull(todo.deletedAt))

/** At most this many trashed todos are listed (the trash is emptied TRASH_RETENTION_DAYS later anyway). */
export const TRASH_LIST_LIMIT = 500

/** The viewer's trash, newest first (ties by id, newest first), read from todo_user_id_deleted_at_idx. */
export const listTrash = dataFunction(async (viewer: Viewer, ids?: readonly number[]): Promise<TrashedTodo[]> => {
  if (ids && ids.length === 0) return []
  const rows = await executor()
    .select({ ...todoColumns, deletedAt: todo.deletedAt })
    .from(todo)
    .where(and(trashed(viewer.id), ids ? inArray(todo.id, [...ids]) : undefined))
    .orderBy(desc(todo.deletedAt), desc(todo.id))
    .limit(TRASH_LIST_LIMIT)
  return rows.map((row) => ({ ...toItem(row), deletedAt: isoInstant(row.deletedAt)! }))
})

/**
 * Puts the viewer's trashed todos back (same id, so the same place in the list) and reschedules
 * their reminders that are still ahead. Returns the restored todos; ids that are missing, live or
 * someone else's are skipped.
 */
export const restoreTodos = writeFunction(async (viewer: Viewer, ids: readonly number[]): Promise<TodoItem[]> => {
  if (ids.length === 0) return []
  const where = and(trashed(viewer.id), inArray(todo.id, [...ids]))
  const restored = await transaction(async (tx) => {
    const rows = await tx.select(todoColumns).from(todo).where(where).for('update')
    if (rows.length === 0) return []
    await tx.update(todo).set({ deletedAt: null }).where(where)
    return rows
  })
  if (restored.length === 0) return []
  await afterCommit(() => userCache.invalidate(viewer.id))
  await afterCommit(() => syncReminders(restored.map((row) => row.id)))
  return restored.map(toItem)
})

/** restoreTodos for one todo: the restored todo, or null. */
export async function restoreTodo(viewer: Viewer, id: number): Promise<TodoItem | null> {
  return (await restoreTodos(viewer, [id]))[0] ?? null
}

/** Deletes one of the viewer's trashed todos for good; false when it is not in their trash. */
export const purgeTrashedTodo = writeFunction(async (viewer: Viewer, id: number): Promise<boolean> => {
  const [result] = await executor().delete(todo).where(and(trashed(viewer.id), eq(todo.id, id)))
  return result.affectedRows > 0
})

/** Deletes everything in the viewer's trash for good. Returns how many went. */
export const emptyTrash = writeFunction(async (viewer: Viewer): Promise<number> => {
  const [result] = await executor().delete(todo).where(trashed(viewer.id))
  return result.affectedRows
})

/**
 * The writes a browser's outbox and the API's `Idempotency-Key` repeat safely: each takes the key
 * first and applies once per key (server/idempotency.ts); the answer says whether it was a replay.
 */
export const onceWrites = {
  createTodo: appliedOnce('createTodo', createTodo),
  updateTodo: appliedOnce('updateTodo', updateTodo),
  deleteTodo: appliedOnce('deleteTodo', deleteTodo),
  setAllDone: appliedOnce('setAllDone', setAllDone),
  trashCompleted: appliedOnce('trashCompleted', trashCompleted),
  restoreTodos: appliedOnce('restoreTodos', restoreTodos),
  restoreTodo: appliedOnce('restoreTodo', restoreTodo),
  purgeTrashedTodo: appliedOnce('purgeTrashedTodo', purgeTrashedTodo),
  emptyTrash: appliedOnce('emptyTrash', emptyTrash),
}

/** How many rows one purge statement deletes: short statements, short locks, bounded undo logs. */
export const PURGE_BATCH_SIZE = 500

/**
 * Deletes, for every user, the todos trashed before `before`, in batches of `batchSize` (the
 * oldest first, read from todo_deleted_at_idx), until none is left or `maxBatches` ran. Run by the
 * trash-purge job scheduler (server/jobs/reminder-worker.ts). Returns how many went.
 */
export async function purgeExpiredTrash(
  before: Date,
  { batchSize = PURGE_BATCH_SIZE, maxBatches = 100 }: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  let purged = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const [result] = await db
      .delete(todo)
      .where(and(isNotNull(todo.deletedAt), lte(todo.deletedAt, before)))
      .orderBy(asc(todo.deletedAt))
      .limit(batchSize)
    purged += result.affectedRows
    if (result.affectedRows < batchSize) break
  }
  return purged
}
