import { ApiLogInSchema } from '@/lib/validation/api'
import { apiRoute, notAuthorized, readJsonBody, tooManyRequests } from '@/server/api/http'
import { issueAccessToken } from '@/server/auth/api-token'
import { checkLogIn, recordLogInFailure } from '@/server/throttles'
import { authenticate } from '@/server/users'

export const POST = apiRoute(async (request) => {
  const input = await readJsonBody(request, ApiLogInSchema)
  const verdict = await checkLogIn(input.username)
  if (!verdict.allowed) throw tooManyRequests('Too many failed log-in attempts', verdict.retryAfterSeconds)
  // Unknown user and wrong password: the same answer, in the same time (see authenticate).
  const found = await authenticate(input)
  if (!found) {
    await recordLogInFailure(input.username)
    throw notAuthorized()
  }
  return Response.json({ access_token: await issueAccessToken(found), token_type: 'bearer' })
})
