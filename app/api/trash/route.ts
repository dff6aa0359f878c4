import { apiRoute, idempotencyKeyOf, replayHeaders, requireApiViewer } from '@/server/api/http'
import { apiTrashedTodo } from '@/server/api/todo-json'
import { listTrash, onceWrites } from '@/server/todos'

/** The caller's trash, most recently deleted first. */
export const GET = apiRoute(async () => {
  const viewer = await requireApiViewer()
  return Response.json({ todos: (await listTrash(viewer)).map(apiTrashedTodo) })
})

/** Empties the caller's trash for good. */
export const DELETE = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const { replayed } = await onceWrites.emptyTrash(idempotencyKeyOf(request), viewer)
  return new Response(null, { status: 204, headers: replayHeaders(replayed) })
})
