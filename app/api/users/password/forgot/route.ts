import { DEFAULT_LOCALE } from '@/lib/i18n/preferences'
import { ApiPasswordForgotSchema } from '@/lib/validation/api'
import { apiRoute, HttpError, readJsonBody } from '@/server/api/http'
import { PasswordResetUnavailableError, requestPasswordReset } from '@/server/password-reset'
import { clientAddress } from '@/server/throttles'

/** The one answer, whatever the address: it never says whether an account has it (or whether a limit was hit). */
const PASSWORD_RESET_REQUESTED =
  'If an account has this verified email address, a link to reset its password is on its way.'

/**
 * Emails a reset link to the address if a verified account has it. 202 because the email (and the
 * lookup) happen in the background; the same 202 for every well-formed address. The email goes out
 * in the account's saved language, else English, like the API's other emails.
 */
export const POST = apiRoute(async (request) => {
  const { email } = await readJsonBody(request, ApiPasswordForgotSchema)
  try {
    await requestPasswordReset({ email, locale: DEFAULT_LOCALE, address: await clientAddress() })
  } catch (error) {
    if (error instanceof PasswordResetUnavailableError) {
      throw new HttpError(503, 'Password reset is temporarily unavailable', { 'Retry-After': '30' })
    }
    throw error
  }
  return Response.json({ detail: PASSWORD_RESET_REQUESTED }, { status: 202 })
})
