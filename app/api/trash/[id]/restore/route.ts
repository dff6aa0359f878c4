import { ApiTodoPathSchema } from '@/lib/validation/api'
import { apiRoute, HttpError, idempotencyKeyOf, parseOr422, replayHeaders, requireApiViewer } from '@/server/api/http'
import { apiTodo } from '@/server/api/todo-json'
import { onceWrites } from '@/server/todos'

type Context = RouteContext<'/api/trash/[id]/restore'>

/** Puts a todo from the caller's trash back in the list (same id); not in their trash is a 404. */
export const POST = apiRoute(async (request, context: Context) => {
  const viewer = await requireApiViewer()
  const { id } = parseOr422(ApiTodoPathSchema, await context.params, 'path')
  const { result: restored, replayed } = await onceWrites.restoreTodo(idempotencyKeyOf(request), viewer, id)
  if (!restored) throw new HttpError(404, 'ToDo Not Found')
  return Response.json(apiTodo(restored), { headers: replayHeaders(replayed) })
})
