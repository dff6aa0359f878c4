import type { TodoItem } from '@/lib/todo-list'
import { listAllTodosJson } from '@/server/todos'

type ApiTodo = { id: number; contents: string; is_done: boolean; due_at: string | null; remind_at: string | null; repeat: string | null }

/**
 * The API's list (listAllTodosJson, cached as JSON text), read back as the data layer's TodoItem:
 * the integration tests compare it with what createTodo and updateTodo return.
 */
export async function listAllTodos(...args: Parameters<typeof listAllTodosJson>): Promise<TodoItem[]> {
  return (JSON.parse(await listAllTodosJson(...args)) as ApiTodo[]).map((todo) => ({
    id: todo.id,
    contents: todo.contents,
    isDone: todo.is_done,
    dueAt: todo.due_at,
    remindAt: todo.remind_at,
    repeat: todo.repeat,
  }))
}
