import { ApiTodoPatchSchema, ApiTodoPathSchema } from '@/lib/validation/api'
import { apiRoute, HttpError, idempotencyKeyOf, parseOr422, readJsonBody, replayHeaders, requireApiViewer, ruleViolation } from '@/server/api/http'
import { apiTodo } from '@/server/api/todo-json'
import { getTodo, onceWrites, TodoRuleError } from '@/server/todos'

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
  const key = idempotencyKeyOf(request)
  const patch = await readJsonBody(request, ApiTodoPatchSchema)
  const { result: updated, replayed } = await onceWrites.updateTodo(key, viewer, id, {
    contents: patch.contents,
    isDone: patch.is_done,
    dueAt: patch.due_at,
    remindAt: patch.remind_at,
    repeat: patch.repeat,
  }).catch((error: unknown) => {
    throw error instanceof TodoRuleError ? ruleViolation(error) : error
  })
  if (!updated) throw notFound()
  return Response.json(apiTodo(updated), { headers: replayHeaders(replayed) })
})

export const DELETE = apiRoute(async (request, context: Context) => {
  const viewer = await requireApiViewer()
  const id = await todoId(context)
  const { result: deleted, replayed } = await onceWrites.deleteTodo(idempotencyKeyOf(request), viewer, id)
  if (!deleted) throw notFound()
  return new Response(null, { status: 204, headers: replayHeaders(replayed) })
})
