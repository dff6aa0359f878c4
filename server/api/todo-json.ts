import type { TodoItem } from '@/lib/todo-list'
import type { TrashedTodo } from '../todos'

// The API's JSON for a todo: here, apart from the route helpers (http.ts), because the data layer
// caches the API's list as this JSON (listAllTodosJson in server/todos.ts).

/** The todo as the API shows it. */
export function apiTodo(todo: TodoItem) {
  return {
    id: todo.id,
    contents: todo.contents,
    is_done: todo.isDone,
    due_at: todo.dueAt,
    remind_at: todo.remindAt,
    repeat: todo.repeat,
  }
}

/** A trashed todo as the API shows it: the todo's fields and `deleted_at`. */
export function apiTrashedTodo(todo: TrashedTodo) {
  return { ...apiTodo(todo), deleted_at: todo.deletedAt }
}
