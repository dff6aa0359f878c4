import type { TodoFilter } from './validation/todo'

export type TodoItem = { id: number; contents: string; isDone: boolean }

/** One page of a user's list as the page shows it; `pending` marks items whose change is in flight. */
export type TodoListPage = {
  username: string
  todos: (TodoItem & { pending?: boolean })[]
  filter: TodoFilter
  page: number
  pageCount: number
  activeCount: number
  completedCount: number
}

export type TodoChange =
  | { type: 'set-done'; id: number; isDone: boolean }
  | { type: 'edit'; id: number; contents: string }
  | { type: 'delete'; id: number }
  | { type: 'set-all-done'; isDone: boolean }
  | { type: 'clear-completed' }

/** Whether a todo belongs on the page under `filter`. */
export function matchesFilter(item: Pick<TodoItem, 'isDone'>, filter: TodoFilter): boolean {
  return filter === 'all' || (filter === 'active') !== item.isDone
}

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
      const delta = change.isDone ? 1 : -1
      return {
        ...list,
        todos: visible(
          list.todos.map((item) => (item.id === change.id ? { ...item, isDone: change.isDone, pending: true } : item)),
        ),
        completedCount: list.completedCount + delta,
        activeCount: list.activeCount - delta,
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
      }
    }
    case 'set-all-done':
      return {
        ...list,
        todos: visible(list.todos.map((item) => ({ ...item, isDone: change.isDone, pending: true }))),
        completedCount: change.isDone ? total : 0,
        activeCount: change.isDone ? 0 : total,
      }
    case 'clear-completed':
      return { ...list, todos: list.todos.filter((item) => !item.isDone), completedCount: 0 }
  }
}
