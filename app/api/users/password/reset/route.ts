import { DEFAULT_LOCALE } from '@/lib/i18n/preferences'
import { ApiPasswordResetSchema } from '@/lib/validation/api'
import { apiRoute, HttpError, readJsonBody } from '@/server/api/http'
import { resetPassword } from '@/server/password-reset'

/**
 * Sets a new password with the token from a reset link (sign-up's password rules: 422 otherwise).
 * Every session and API token of the account ends; log in again for a token.
 */
export const POST = apiRoute(async (request) => {
  const { token, password } = await readJsonBody(request, ApiPasswordResetSchema)
  const result = await resetPassword(token, password, DEFAULT_LOCALE)
  if (!result.ok) throw new HttpError(400, 'Invalid, expired or used reset token')
  return Response.json({ id: result.account.id, username: result.account.username })
})
