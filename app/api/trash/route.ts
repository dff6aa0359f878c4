import { apiRoute, apiTrashedTodo, requireApiViewer } from '@/server/api/http'
import { emptyTrash, listTrash } from '@/server/todos'

/** The caller's trash, most recently deleted first. */
export const GET = apiRoute(async () => {
  const viewer = await requireApiViewer()
  return Response.json({ todos: (await listTrash(viewer)).map(apiTrashedTodo) })
})

/** Empties the caller's trash for good. */
export const DELETE = apiRoute(async () => {
  const viewer = await requireApiViewer()
  await emptyTrash(viewer)
  return new Response(null, { status: 204 })
})
