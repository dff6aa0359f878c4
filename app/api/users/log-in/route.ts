import { ApiLogInSchema } from '@/lib/validation/api'
import { apiRoute, notAuthorized, readJsonBody } from '@/server/api/http'
import { issueAccessToken } from '@/server/auth/api-token'
import { authenticate } from '@/server/users'

export const POST = apiRoute(async (request) => {
  const input = await readJsonBody(request, ApiLogInSchema)
  // Unknown user and wrong password: the same answer, in the same time (see authenticate).
  const viewer = await authenticate(input)
  if (!viewer) throw notAuthorized()
  return Response.json({ access_token: await issueAccessToken(viewer), token_type: 'bearer' })
})
