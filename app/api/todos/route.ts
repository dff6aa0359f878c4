import { ApiNewTodoSchema, ApiTodoListQuerySchema } from '@/lib/validation/api'
import { apiRoute, idempotencyKeyOf, parseOr422, readJsonBody, replayHeaders, requireApiViewer, ruleViolation } from '@/server/api/http'
import { apiTodo } from '@/server/api/todo-json'
import { listAllTodosJson, onceWrites, TodoRuleError } from '@/server/todos'

export const GET = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const query = parseOr422(ApiTodoListQuerySchema, Object.fromEntries(request.nextUrl.searchParams), 'query')
  const todos = await listAllTodosJson(viewer, query.order, { dueBefore: query.due_before, dueAfter: query.due_after })
  return new Response(`{"todos":${todos}}`, { headers: { 'content-type': 'application/json' } })
})

export const POST = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const key = idempotencyKeyOf(request)
  const input = await readJsonBody(request, ApiNewTodoSchema)
  try {
    const { result: created, replayed } = await onceWrites.createTodo(key, viewer, {
      contents: input.contents,
      isDone: input.is_done,
      dueAt: input.due_at,
      remindAt: input.remind_at,
      repeat: input.repeat,
    })
    return Response.json(apiTodo(created), { status: 201, headers: replayHeaders(replayed) })
  } catch (error) {
    if (error instanceof TodoRuleError) throw ruleViolation(error)
    throw error
  }
})
