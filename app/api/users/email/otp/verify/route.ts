import { EmailCodeVerifySchema } from '@/lib/validation/email'
import { apiRoute, HttpError, readJsonBody, requireApiViewer } from '@/server/api/http'
import { otpUnavailable } from '@/server/api/otp-unavailable'
import { apiEmailLocale } from '@/server/preferences'
import { verifyEmailCode } from '@/server/otp'

export const POST = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const { email, otp } = await readJsonBody(request, EmailCodeVerifySchema)
  const result = await verifyEmailCode(viewer, email, otp, apiEmailLocale(viewer)).catch(otpUnavailable)
  if (result.ok) return Response.json(result.account)
  if (result.reason === 'email-unavailable') throw new HttpError(409, 'This email address cannot be used')
  throw new HttpError(400, 'Invalid, expired or used code')
})
