import 'server-only'
import { TZDate } from '@date-fns/tz'
import { addDays, startOfDay } from 'date-fns'
import { and, asc, desc, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm'
import { todo, user } from '@/db/schema'
import type { TodoItem, TodoListPage } from '@/lib/todo-list'
import type { NewTodoInput, TodoFilter, TodoPatch } from '@/lib/validation/todo'
import { userCache } from './cache'
import { db } from './db'
import { dataFunction } from './db-errors'
import type { Viewer } from './users'

export const TODO_PAGE_SIZE = 50

export type { TodoItem, TodoListPage }

const todoColumns = {
  id: todo.id,
  contents: todo.contents,
  isDone: todo.isDone,
  dueAt: todo.dueAt, // stand-in until D lands
  remindAt: todo.remindAt,
  repeat: todo.repeat,
}

type TodoRow = { id: number; contents: string; isDone: boolean; dueAt: Date | null; remindAt: Date | null; repeat: string | null }

// stand-in until D lands: Dates as the ISO strings the cached JSON keeps.
function toItem(row: TodoRow): TodoItem {
  return { ...row, dueAt: row.dueAt?.toISOString() ?? null, remindAt: row.remindAt?.toISOString() ?? null }
}

/** The viewer's zone: pages pass the signed-in viewer, which carries it. */
function zoneOf(viewer: Viewer): string {
  return (viewer as Viewer & { timeZone?: string }).timeZone ?? 'UTC' // stand-in until D lands
}

function filterCondition(filter: TodoFilter, timeZone = 'UTC'): SQL | undefined {
  if (filter === 'active') return eq(todo.isDone, false)
  if (filter === 'completed') return eq(todo.isDone, true)
  // stand-in until D lands: Today is due before tomorrow (overdue included); Upcoming is due from
  // now until the end of the seventh day after today; neither shows done todos.
  if (filter === 'today' || filter === 'upcoming') {
    const now = new Date()
    const today = startOfDay(new TZDate(now, timeZone))
    const end = addDays(today, filter === 'today' ? 1 : 8)
    return and(
      eq(todo.isDone, false),
      isNotNull(todo.dueAt),
      filter === 'upcoming' ? gte(todo.dueAt, now) : undefined,
      lt(todo.dueAt, new Date(end.getTime())),
    )
  }
  return undefined
}

/** How many of the viewer's todos there are, and how many are done: counted in SQL, never in memory. */
function countsFor(viewerId: number) {
  return {
    total: sql<number>`(select count(*) from ${todo} where ${todo.userId} = ${viewerId})`.mapWith(Number),
    completed: sql<number>`(select count(*) from ${todo} where ${todo.userId} = ${viewerId} and ${todo.isDone})`.mapWith(
      Number,
    ),
  }
}

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
  ): Promise<TodoListPage | null> =>
    // stand-in until D lands: the time-bound views change with the clock, so they are not cached.
    filter === 'today' || filter === 'upcoming'
      ? loadTodoPage(viewer, filter, page)
      : userCache.read(viewer.id, `page:${filter}:${page}`, () => loadTodoPage(viewer, filter, page)),
)

/** The page's query, built but not run (bench/lib/queries.ts holds its SQL, checked against this). */
export function todoPageQuery(viewerId: number, filter: TodoFilter, page: number, timeZone = 'UTC') {
  const byDue = filter === 'today' || filter === 'upcoming'
  const pageOfTodos = db
    .select(todoColumns)
    .from(todo)
    .where(and(eq(todo.userId, viewerId), filterCondition(filter, timeZone)))
    .orderBy(...(byDue ? [asc(todo.dueAt), asc(todo.id)] : [asc(todo.id)]))
    .limit(TODO_PAGE_SIZE)
    .offset((page - 1) * TODO_PAGE_SIZE)
    .as('page')
  return db
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
      ...countsFor(viewerId),
      // stand-in until D lands: how many todos the time-bound view holds.
      ...(byDue
        ? {
            matching: sql<number>`(select count(*) from ${todo} where ${and(eq(todo.userId, viewerId), filterCondition(filter, timeZone))})`.mapWith(Number),
          }
        : {}),
    })
    .from(user)
    .leftJoin(pageOfTodos, sql`true`)
    .where(eq(user.id, viewerId))
    .orderBy(...(byDue ? [asc(pageOfTodos.dueAt), asc(pageOfTodos.id)] : [asc(pageOfTodos.id)]))
}

async function loadTodoPage(viewer: Viewer, filter: TodoFilter, page: number): Promise<TodoListPage | null> {
  const rows = await todoPageQuery(viewer.id, filter, page, zoneOf(viewer))

  const first = rows[0]
  if (!first) return null // the account is gone

  const completedCount = first.completed
  const activeCount = first.total - completedCount
  const matching =
    'matching' in first && typeof first.matching === 'number'
      ? first.matching
      : filter === 'all'
        ? first.total
        : filter === 'active'
          ? activeCount
          : completedCount
  const pageCount = Math.max(1, Math.ceil(matching / TODO_PAGE_SIZE))
  if (page > pageCount) return listTodos(viewer, { filter, page: pageCount })
  return {
    username: first.username,
    todos: rows.flatMap((row) => (row.todo ? [toItem(row.todo)] : [])),
    filter,
    page,
    pageCount,
    matchingCount: matching,
    activeCount,
    completedCount,
  }
}

/**
 * All of the viewer's todos for the JSON API, by id, from the user ⋈ todo join. An inner join, so
 * that MariaDB reads them in the order of `todo_user_id_id_idx` (either way) instead of sorting
 * them all (which it does for a LEFT JOIN). The caller has just checked that the account exists.
 */
export const listAllTodos = dataFunction(
  async (viewer: Viewer, order: 'ASC' | 'DESC' = 'ASC'): Promise<TodoItem[]> =>
    userCache.read(viewer.id, `api:${order}`, async () => (await allTodosQuery(viewer.id, order)).map(toItem)),
)

/** The API list's query, built but not run (bench/lib/queries.ts holds its SQL, checked against this). */
export function allTodosQuery(viewerId: number, order: 'ASC' | 'DESC') {
  return db
    .select(todoColumns)
    .from(user)
    .innerJoin(todo, eq(todo.userId, user.id))
    .where(eq(user.id, viewerId))
    .orderBy(order === 'DESC' ? desc(todo.id) : asc(todo.id))
}

/** The viewer's todo with this id, or null when it is missing or someone else's. */
export const getTodo = dataFunction(async (viewer: Viewer, id: number): Promise<TodoItem | null> => {
  const [found] = await db
    .select(todoColumns)
    .from(todo)
    .where(and(eq(todo.id, id), eq(todo.userId, viewer.id)))
    .limit(1)
  return found ? toItem(found) : null
})

/** Adds a todo owned by the viewer. */
export const createTodo = dataFunction(async (viewer: Viewer, input: NewTodoInput): Promise<TodoItem> => {
  const [created] = await db
    .insert(todo)
    .values({ contents: input.contents, isDone: input.isDone, userId: viewer.id })
    .$returningId()
  if (!created) throw new Error('INSERT into todo returned no id')
  await userCache.invalidate(viewer.id)
  return { id: created.id, contents: input.contents, isDone: input.isDone, dueAt: null, remindAt: null, repeat: null }
})

/** Changes the viewer's todo; null when it is missing or someone else's. */
export const updateTodo = dataFunction(async (viewer: Viewer, id: number, patch: TodoPatch): Promise<TodoItem | null> => {
  const [result] = await db
    .update(todo)
    .set({ contents: patch.contents, isDone: patch.isDone, dueAt: patch.dueAt, remindAt: patch.remindAt, repeat: patch.repeat }) // stand-in until D lands
    .where(and(eq(todo.id, id), eq(todo.userId, viewer.id)))
  // mysql2 connects with FOUND_ROWS, so affectedRows counts matched rows, changed or not.
  if (result.affectedRows === 0) return null
  await userCache.invalidate(viewer.id)
  return getTodo(viewer, id)
})

/** Deletes the viewer's todo; false when it is missing or someone else's. */
export const deleteTodo = dataFunction(async (viewer: Viewer, id: number): Promise<boolean> => {
  const [result] = await db.delete(todo).where(and(eq(todo.id, id), eq(todo.userId, viewer.id)))
  if (result.affectedRows === 0) return false
  await userCache.invalidate(viewer.id)
  return true
})

/** Marks every one of the viewer's todos done (or not done). Returns how many there are. */
export const setAllDone = dataFunction(async (viewer: Viewer, isDone: boolean): Promise<number> => {
  const [result] = await db.update(todo).set({ isDone }).where(eq(todo.userId, viewer.id))
  await userCache.invalidate(viewer.id)
  return result.affectedRows
})

/** Deletes the viewer's completed todos. Returns how many went. */
export const clearCompleted = dataFunction(async (viewer: Viewer): Promise<number> => {
  const [result] = await db.delete(todo).where(and(eq(todo.userId, viewer.id), eq(todo.isDone, true)))
  await userCache.invalidate(viewer.id)
  return result.affectedRows
})
