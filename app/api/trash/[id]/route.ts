import { ApiTodoPathSchema } from '@/lib/validation/api'
import { apiRoute, HttpError, parseOr422, requireApiViewer } from '@/server/api/http'
import { purgeTrashedTodo } from '@/server/todos'

type Context = RouteContext<'/api/trash/[id]'>

/** Deletes one todo in the caller's trash for good; a live todo, or anyone else's, is a 404. */
export const DELETE = apiRoute(async (_request, context: Context) => {
  const viewer = await requireApiViewer()
  const { id } = parseOr422(ApiTodoPathSchema, await context.params, 'path')
  if (!(await purgeTrashedTodo(viewer, id))) throw new HttpError(404, 'ToDo Not Found')
  return new Response(null, { status: 204 })
})
