import 'server-only'
import { OtpUnavailableError } from '../otp'
import { HttpError } from './http'

/** Redis is away: the code endpoints cannot work, and say so with a 503 rather than a 500. */
export function otpUnavailable(error: unknown): never {
  if (error instanceof OtpUnavailableError) {
    throw new HttpError(503, 'Email verification is temporarily unavailable', { 'Retry-After': '30' })
  }
  throw error
}
