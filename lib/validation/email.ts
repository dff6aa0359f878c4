import { z } from 'zod'

/** An email address, trimmed and lower-cased so that one mailbox is one address. */
export const EmailSchema = z
  .string({ error: 'validation.email.type' })
  .trim()
  .max(254, { error: 'validation.email.tooLong' })
  .pipe(z.email({ error: 'validation.email.invalid' }))
  .transform((email) => email.toLowerCase())

/** A six-digit code as typed: spaces and dashes between the digits are forgiven. */
export const OtpCodeSchema = z
  .string({ error: 'validation.otp.type' })
  .transform((code) => code.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { error: 'validation.otp.format' }))

export const EmailCodeRequestSchema = z.object({ email: EmailSchema })
export const EmailCodeVerifySchema = z.object({ email: EmailSchema, otp: OtpCodeSchema })
