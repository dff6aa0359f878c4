import { ApiExportQuerySchema } from '@/lib/validation/api'
import { apiRoute, notAuthorized, parseOr422, requireApiViewer } from '@/server/api/http'
import { exportTodos } from '@/server/transfer'

/** The caller's todos as a download: JSON (live and trash) or CSV (live), streamed in batches. */
export const GET = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const { format } = parseOr422(ApiExportQuerySchema, Object.fromEntries(request.nextUrl.searchParams), 'query')
  const body = await exportTodos(viewer, format)
  if (!body) throw notAuthorized()
  // The date in the owner's zone: the file they download tonight is named today.
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: viewer.timeZone }).format(new Date())
  return new Response(body, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="todos-${day}.${format}"`,
      'Cache-Control': 'private, no-store',
    },
  })
})
