import { englishTranslator } from '@/server/i18n/messages'
import { apiRoute, HttpError, readBodyBytes, requireApiViewer } from '@/server/api/http'
import { importErrorDetail, IMPORT_MAX_BYTES, importSourceOf, importTodos, ImportError, type ImportSource } from '@/server/transfer'

// Multipart framing around a file of IMPORT_MAX_BYTES: the file itself is checked again below.
const MULTIPART_SLACK = 16 * 1024

/**
 * Imports todos: our JSON export, a CSV (text/csv), or either as the `file` field of a
 * multipart/form-data body. 201 with what was imported and skipped; 422 naming the bad rows.
 */
export const POST = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? ''
  let source: ImportSource
  if (type === 'multipart/form-data') {
    // A cross-site page may post a form without a preflight: only same-origin forms (or tokens) import.
    const origin = request.headers.get('origin')
    if (!request.headers.get('authorization') && origin && new URL(origin).host !== request.headers.get('host')) {
      throw new HttpError(403, 'Cross-origin form posts are refused')
    }
    const bytes = await readBodyBytes(request, IMPORT_MAX_BYTES + MULTIPART_SLACK)
    let form: FormData
    try {
      form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': request.headers.get('content-type')! } }).formData()
    } catch {
      throw new HttpError(422, [{ type: 'value_error', loc: ['body'], msg: 'The multipart body could not be read' }])
    }
    const file = form.get('file')
    if (!(file instanceof File)) {
      throw new HttpError(422, [{ type: 'missing', loc: ['body', 'file'], msg: 'Field required' }])
    }
    if (file.size > IMPORT_MAX_BYTES) throw new HttpError(413, `The file is larger than ${IMPORT_MAX_BYTES} bytes`)
    source = importSourceOf(await file.text(), file.type, file.name)
  } else if (type === 'application/json' || type === 'text/csv') {
    const bytes = await readBodyBytes(request, IMPORT_MAX_BYTES)
    source = importSourceOf(new TextDecoder().decode(bytes), type)
  } else {
    throw new HttpError(415, 'Content-Type must be application/json, text/csv or multipart/form-data')
  }
  try {
    return Response.json(await importTodos(viewer, source), { status: 201 })
  } catch (error) {
    if (error instanceof ImportError) throw new HttpError(422, importErrorDetail(error, englishTranslator))
    throw error
  }
})
