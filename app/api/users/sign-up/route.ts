import { ApiSignUpSchema } from '@/lib/validation/api'
import { apiRoute, HttpError, readJsonBody, tooManyRequests } from '@/server/api/http'
import { consumeSignUp } from '@/server/throttles'
import { createUser } from '@/server/users'

export const POST = apiRoute(async (request) => {
  const input = await readJsonBody(request, ApiSignUpSchema)
  const verdict = await consumeSignUp()
  if (!verdict.allowed) throw tooManyRequests('Too many sign-ups from this address', verdict.retryAfterSeconds)
  const created = await createUser({ username: input.username, password: input.password, timeZone: input.time_zone })
  if (!created.ok) throw new HttpError(409, 'Username already taken')
  return Response.json({ id: created.viewer.id, username: created.viewer.username }, { status: 201 })
})
