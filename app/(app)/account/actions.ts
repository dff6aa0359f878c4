'use server'
import { revalidatePath } from 'next/cache'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { EmailCodeRequestSchema, EmailCodeVerifySchema } from '@/lib/validation/email'
import { englishTranslator } from '@/lib/validation/messages'
import { requireUser } from '@/server/auth/session'
import { OtpUnavailableError, requestEmailCode, verifyEmailCode } from '@/server/otp'
import { consumeCodeRequest, describeWait } from '@/server/throttles'

// i18n: the page locale's translator comes with the request config
const t = englishTranslator

export type EmailCodeState = FormState<'email' | 'otp'> & {
  /** The address a code was just sent to: the page then asks for the code. */
  sentTo?: string
  verified?: string
}

const UNAVAILABLE = 'Email verification is temporarily unavailable. Please try again in a minute.'

export async function sendEmailCodeAction(_prev: EmailCodeState, form: FormData): Promise<EmailCodeState> {
  const viewer = await requireUser()
  const email = formText(form, 'email')
  const input = EmailCodeRequestSchema.safeParse({ email })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, t), values: { email } }
  const verdict = await consumeCodeRequest()
  if (!verdict.allowed) {
    return {
      formError: `Too many code requests from your network. Try again in ${describeWait(verdict.retryAfterSeconds)}.`,
      values: { email },
    }
  }
  try {
    const result = await requestEmailCode(viewer, input.data.email)
    if (result.ok) return { sentTo: input.data.email, values: { email: input.data.email } }
    if (result.reason === 'already-verified') {
      return { formError: 'That address is already verified on your account.', values: { email } }
    }
    return {
      formError: `Please wait ${describeWait(result.retryAfterSeconds)} before asking for another code.`,
      values: { email },
    }
  } catch (error) {
    if (error instanceof OtpUnavailableError) return { formError: UNAVAILABLE, values: { email } }
    throw error
  }
}

export async function verifyEmailCodeAction(_prev: EmailCodeState, form: FormData): Promise<EmailCodeState> {
  const viewer = await requireUser()
  const email = formText(form, 'email')
  const otp = formText(form, 'otp')
  const input = EmailCodeVerifySchema.safeParse({ email, otp })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, t), values: { email, otp } }
  try {
    const result = await verifyEmailCode(viewer, input.data.email, input.data.otp)
    if (result.ok) {
      revalidatePath('/account')
      return { verified: result.account.email }
    }
    if (result.reason === 'email-unavailable') {
      return { formError: 'This email address cannot be used. Please choose another.', values: { email } }
    }
    return {
      fieldErrors: { otp: ['That code is wrong, expired or already used. Check the email, or send a new code.'] },
      values: { email },
    }
  } catch (error) {
    if (error instanceof OtpUnavailableError) return { formError: UNAVAILABLE, values: { email } }
    throw error
  }
}
