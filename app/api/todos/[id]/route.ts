import { ApiTodoPatchSchema, ApiTodoPathSchema } from '@/lib/validation/api'
import { apiRoute, apiTodo, HttpError, parseOr422, readJsonBody, requireApiViewer, ruleViolation } from '@/server/api/http'
import { deleteTodo, getTodo, TodoRuleError, updateTodo } from '@/server/todos'

type Context = RouteContext<'/api/todos/[id]'>

// Someone else's todo answers exactly like a missing one: the data layer cannot tell them apart.
const notFound = () => new HttpError(404, 'ToDo Not Found')

async function todoId(context: Context): Promise<number> {
  return parseOr422(ApiTodoPathSchema, await context.params, 'path').id
}

export const GET = apiRoute(async (_request, context: Context) => {
  const viewer = await requireApiViewer()
  const todo = await getTodo(viewer, await todoId(context))
  if (!todo) throw notFound()
  return Response.json(apiTodo(todo))
})

export const PATCH = apiRoute(async (request, context: Context) => {
  const viewer = await requireApiViewer()
  const id = await todoId(context)
  const patch = await readJsonBody(request, ApiTodoPatchSchema)
  const updated = await updateTodo(viewer, id, {
    contents: patch.contents,
    isDone: patch.is_done,
    dueAt: patch.due_at,
    remindAt: patch.remind_at,
    repeat: patch.repeat,
  }).catch((error: unknown) => {
    throw error instanceof TodoRuleError ? ruleViolation(error) : error
  })
  if (!updated) throw notFound()
  return Response.json(apiTodo(updated))
})

export const DELETE = apiRoute(async (_request, context: Context) => {
  const viewer = await requireApiViewer()
  if (!(await deleteTodo(viewer, await todoId(context)))) throw notFound()
  return new Response(null, { status: 204 })
})
