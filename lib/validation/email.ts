import { z } from 'zod'

/** An email address, trimmed and lower-cased so that one mailbox is one address. */
export const EmailSchema = z
  .string({ error: 'Email must be text' })
  .trim()
  .max(254, { error: 'That email address is too long' })
  .pipe(z.email({ error: 'Enter a valid email address' }))
  .transform((email) => email.toLowerCase())

/** A six-digit code as typed: spaces and dashes between the digits are forgiven. */
export const OtpCodeSchema = z
  .string({ error: 'The code must be text' })
  .transform((code) => code.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { error: 'Enter the 6-digit code from the email' }))

export const EmailCodeRequestSchema = z.object({ email: EmailSchema })
export const EmailCodeVerifySchema = z.object({ email: EmailSchema, otp: OtpCodeSchema })
