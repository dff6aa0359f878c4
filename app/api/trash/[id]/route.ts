import { ApiTodoPathSchema } from '@/lib/validation/api'
import { apiRoute, HttpError, idempotencyKeyOf, parseOr422, replayHeaders, requireApiViewer } from '@/server/api/http'
import { onceWrites } from '@/server/todos'

type Context = RouteContext<'/api/trash/[id]'>

/** Deletes one todo in the caller's trash for good; a live todo, or anyone else's, is a 404. */
export const DELETE = apiRoute(async (request, context: Context) => {
  const viewer = await requireApiViewer()
  const { id } = parseOr422(ApiTodoPathSchema, await context.params, 'path')
  const { result: purged, replayed } = await onceWrites.purgeTrashedTodo(idempotencyKeyOf(request), viewer, id)
  if (!purged) throw new HttpError(404, 'ToDo Not Found')
  return new Response(null, { status: 204, headers: replayHeaders(replayed) })
})
