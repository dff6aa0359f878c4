import { ApiNewTodoSchema, ApiTodoListQuerySchema } from '@/lib/validation/api'
import { apiRoute, apiTodo, parseOr422, readJsonBody, requireApiViewer } from '@/server/api/http'
import { createTodo, listAllTodos } from '@/server/todos'

export const GET = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const query = parseOr422(ApiTodoListQuerySchema, Object.fromEntries(request.nextUrl.searchParams), 'query')
  const todos = await listAllTodos(viewer, query.order)
  return Response.json({ todos: todos.map(apiTodo) })
})

export const POST = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const input = await readJsonBody(request, ApiNewTodoSchema)
  const created = await createTodo(viewer, { contents: input.contents, isDone: input.is_done })
  return Response.json(apiTodo(created), { status: 201 })
})
