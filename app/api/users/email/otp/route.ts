import { EmailCodeRequestSchema } from '@/lib/validation/email'
import { apiRoute, HttpError, readJsonBody, requireApiViewer, tooManyRequests } from '@/server/api/http'
import { otpUnavailable } from '@/server/api/otp-unavailable'
import { apiEmailLocale } from '@/server/preferences'
import { requestEmailCode } from '@/server/otp'
import { consumeCodeRequest } from '@/server/throttles'

/** Emails a verification code (never returned here); 202 because the email is sent in the background. */
export const POST = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const { email } = await readJsonBody(request, EmailCodeRequestSchema)
  const verdict = await consumeCodeRequest()
  if (!verdict.allowed) throw tooManyRequests('Too many code requests from this address', verdict.retryAfterSeconds)
  const result = await requestEmailCode(viewer, email, apiEmailLocale(viewer)).catch(otpUnavailable)
  if (result.ok) return Response.json({ email, expires_in: result.expiresInSeconds }, { status: 202 })
  if (result.reason === 'already-verified') throw new HttpError(409, 'That email is already verified on your account')
  throw tooManyRequests('Too many code requests', result.retryAfterSeconds)
})
