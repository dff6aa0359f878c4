import type { TodoFilter } from './validation/todo'

// stand-in until D lands: dueAt, remindAt (ISO 8601 UTC strings ending in Z) and repeat (an RRULE).
export type TodoItem = {
  id: number
  contents: string
  isDone: boolean
  dueAt: string | null
  remindAt: string | null
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
  /** How many todos (every page) the view holds: the Today and Upcoming counters show it. */
  matchingCount?: number
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
 * Whether a todo belongs on the page under `filter`. The time-bound views keep what is not done
 * and has a due date; which day it falls on is the server's to judge when it answers.
 */
export function matchesFilter(item: Pick<TodoItem, 'isDone' | 'dueAt'>, filter: TodoFilter): boolean {
  if (isDueView(filter)) return !item.isDone && item.dueAt !== null
  return filter === 'all' || (filter === 'active') !== item.isDone
}

function byDue(a: TodoItem, b: TodoItem): number {
  return (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.id - b.id
}

/**
 * The list as it will be once `change` is saved: what the page shows while the server works.
 * Counts cover the whole list (every page), so they move by what the change does to it.
 */
export function applyTodoChange(list: TodoListPage, change: TodoChange): TodoListPage {
  const visible = (todos: TodoListPage['todos']) => todos.filter((item) => matchesFilter(item, list.filter))
  const total = list.activeCount + list.completedCount
  // The Today and Upcoming counters count the view: they move by what leaves it.
  const matching = (todos: TodoListPage['todos']) =>
    list.matchingCount === undefined ? {} : { matchingCount: list.matchingCount - (list.todos.length - todos.length) }

  switch (change.type) {
    case 'set-done': {
      const target = list.todos.find((item) => item.id === change.id)
      if (!target || target.isDone === change.isDone) return list
      // Completing a repeating todo moves it to its next occurrence, which the server computes:
      // until it answers, the todo stays as it is, marked as saving.
      if (change.isDone && target.repeat) {
        return { ...list, todos: list.todos.map((item) => (item.id === change.id ? { ...item, pending: true } : item)) }
      }
      const delta = change.isDone ? 1 : -1
      const todos = visible(
        list.todos.map((item) => (item.id === change.id ? { ...item, isDone: change.isDone, pending: true } : item)),
      )
      return {
        ...list,
        todos,
        completedCount: list.completedCount + delta,
        activeCount: list.activeCount - delta,
        ...matching(todos),
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
      const todos = list.todos.filter((item) => item.id !== change.id)
      return {
        ...list,
        todos,
        ...matching(todos),
        completedCount: list.completedCount - (target.isDone ? 1 : 0),
        activeCount: list.activeCount - (target.isDone ? 0 : 1),
      }
    }
    case 'set-all-done': {
      const todos = visible(list.todos.map((item) => ({ ...item, isDone: change.isDone, pending: true })))
      return {
        ...list,
        todos,
        completedCount: change.isDone ? total : 0,
        activeCount: change.isDone ? 0 : total,
        ...matching(todos),
      }
    }
    case 'clear-completed':
      return { ...list, todos: list.todos.filter((item) => !item.isDone), completedCount: 0 }
    case 'set-details': {
      const target = list.todos.find((item) => item.id === change.id)
      if (!target) return list
      const changed = list.todos.map((item) =>
        item.id === change.id
          ? {
              ...item,
              dueAt: change.dueAt,
              remindAt: change.remindAt,
              repeat: change.repeat === undefined ? item.repeat : change.repeat,
              pending: true,
            }
          : item,
      )
      const todos = isDueView(list.filter) ? visible(changed).sort(byDue) : changed
      return { ...list, todos, ...matching(todos) }
    }
  }
}
