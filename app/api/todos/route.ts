import { ApiNewTodoSchema, ApiTodoListQuerySchema } from '@/lib/validation/api'
import { apiRoute, apiTodo, parseOr422, readJsonBody, requireApiViewer, ruleViolation } from '@/server/api/http'
import { createTodo, listAllTodos, TodoRuleError } from '@/server/todos'

export const GET = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const query = parseOr422(ApiTodoListQuerySchema, Object.fromEntries(request.nextUrl.searchParams), 'query')
  const todos = await listAllTodos(viewer, query.order, { dueBefore: query.due_before, dueAfter: query.due_after })
  return Response.json({ todos: todos.map(apiTodo) })
})

export const POST = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const input = await readJsonBody(request, ApiNewTodoSchema)
  try {
    const created = await createTodo(viewer, {
      contents: input.contents,
      isDone: input.is_done,
      dueAt: input.due_at,
      remindAt: input.remind_at,
      repeat: input.repeat,
    })
    return Response.json(apiTodo(created), { status: 201 })
  } catch (error) {
    if (error instanceof TodoRuleError) throw ruleViolation(error)
    throw error
  }
})
