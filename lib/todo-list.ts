import type { TodoFilter } from './validation/todo'

/**
 * A todo as the pages and the API read it. Instants are ISO 8601 strings in UTC ending in `Z`
 * (`2026-12-24T09:00:00Z`): the lists are cached as JSON, so they are strings, not Dates.
 */
export type TodoItem = {
  id: number
  contents: string
  isDone: boolean
  dueAt: string | null
  remindAt: string | null
  /** An RRULE (lib/repeat.ts), or null. */
  repeat: string | null
}

/** One page of a user's list as the page shows it; `pending` marks items whose change is in flight. */
export type TodoListPage = {
  username: string
  todos: (TodoItem & { pending?: boolean })[]
  filter: TodoFilter
  page: number
  pageCount: number
  activeCount: number
  completedCount: number
  /** How many todos the filter shows, over every page (for Today and Upcoming, not just the active ones). */
  matchingCount: number
  /** Whether the account has a verified email address, which reminders are sent to. */
  canRemind: boolean
}

export type TodoChange =
  | { type: 'set-done'; id: number; isDone: boolean }
  | { type: 'edit'; id: number; contents: string }
  | { type: 'delete'; id: number }
  | { type: 'set-all-done'; isDone: boolean }
  | { type: 'clear-completed' }
  /** New due date, reminder and repeat (instants as ISO strings); `repeat` undefined keeps the rule. */
  | { type: 'set-details'; id: number; dueAt: string | null; remindAt: string | null; repeat?: string | null }

/** Whether the view lists todos by due time (Today, Upcoming) rather than by age. */
export function isDueView(filter: TodoFilter): boolean {
  return filter === 'today' || filter === 'upcoming'
}

/**
 * Whether a todo belongs on the page under `filter`. The time-bound views keep what is open and
 * has a due date; which day it falls on is the server's to judge when it reads the page.
 */
export function matchesFilter(item: Pick<TodoItem, 'isDone' | 'dueAt'>, filter: TodoFilter): boolean {
  if (isDueView(filter)) return !item.isDone && item.dueAt !== null
  return filter === 'all' || (filter === 'active') !== item.isDone
}

/** Completing it moves it to its next occurrence instead (server/todos.ts), so it stays open. */
export function isRepeating(item: Pick<TodoItem, 'repeat' | 'dueAt'>): boolean {
  return item.repeat !== null && item.dueAt !== null
}

function byDue(a: TodoItem, b: TodoItem): number {
  return (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.id - b.id
}

const shown = (item: Pick<TodoItem, 'isDone' | 'dueAt'>, filter: TodoFilter) => (matchesFilter(item, filter) ? 1 : 0)

/**
 * The list as it will be once `change` is saved: what the page shows while the server works.
 * Counts cover the whole list (every page), so they move by what the change does to it.
 */
export function applyTodoChange(list: TodoListPage, change: TodoChange): TodoListPage {
  const visible = (todos: TodoListPage['todos']) => todos.filter((item) => matchesFilter(item, list.filter))
  const total = list.activeCount + list.completedCount

  switch (change.type) {
    case 'set-done': {
      const target = list.todos.find((item) => item.id === change.id)
      if (!target || target.isDone === change.isDone) return list
      // The server answers with its next due time; until then it shows as it is, pending.
      if (change.isDone && isRepeating(target)) {
        return { ...list, todos: list.todos.map((item) => (item.id === change.id ? { ...item, pending: true } : item)) }
      }
      const delta = change.isDone ? 1 : -1
      const changed = { ...target, isDone: change.isDone }
      return {
        ...list,
        todos: visible(list.todos.map((item) => (item.id === change.id ? { ...changed, pending: true } : item))),
        completedCount: list.completedCount + delta,
        activeCount: list.activeCount - delta,
        matchingCount: list.matchingCount + shown(changed, list.filter) - shown(target, list.filter),
      }
    }
    case 'edit':
      return {
        ...list,
        todos: list.todos.map((item) =>
          item.id === change.id ? { ...item, contents: change.contents, pending: true } : item,
        ),
      }
    case 'delete': {
      const target = list.todos.find((item) => item.id === change.id)
      if (!target) return list
      return {
        ...list,
        todos: list.todos.filter((item) => item.id !== change.id),
        completedCount: list.completedCount - (target.isDone ? 1 : 0),
        activeCount: list.activeCount - (target.isDone ? 0 : 1),
        matchingCount: list.matchingCount - shown(target, list.filter),
      }
    }
    case 'set-all-done': {
      // Open repeating todos step to their next occurrence rather than close (server/todos.ts).
      const todos = visible(
        list.todos.map((item) =>
          change.isDone && !item.isDone && isRepeating(item)
            ? { ...item, pending: true }
            : { ...item, isDone: change.isDone, pending: true },
        ),
      )
      return {
        ...list,
        todos,
        completedCount: change.isDone ? total : 0,
        activeCount: change.isDone ? 0 : total,
        matchingCount:
          list.filter === 'all'
            ? total
            : list.filter === 'completed'
              ? change.isDone ? total : 0
              : list.filter === 'active'
                ? change.isDone ? 0 : total
                : list.matchingCount - (list.todos.length - todos.length), // the server's answer says the rest
      }
    }
    case 'clear-completed':
      return {
        ...list,
        todos: list.todos.filter((item) => !item.isDone),
        completedCount: 0,
        matchingCount:
          list.filter === 'all' ? list.activeCount : list.filter === 'completed' ? 0 : list.matchingCount,
      }
    case 'set-details': {
      const target = list.todos.find((item) => item.id === change.id)
      if (!target) return list
      const changed = {
        ...target,
        dueAt: change.dueAt,
        remindAt: change.remindAt,
        repeat: change.repeat === undefined ? target.repeat : change.repeat,
      }
      const todos = list.todos.map((item) => (item.id === change.id ? { ...changed, pending: true } : item))
      return {
        ...list,
        todos: isDueView(list.filter) ? visible(todos).sort(byDue) : todos,
        matchingCount: list.matchingCount + shown(changed, list.filter) - shown(target, list.filter),
      }
    }
  }
}
