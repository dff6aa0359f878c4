'use server'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { EmailCodeRequestSchema, EmailCodeVerifySchema } from '@/lib/validation/email'
import { TimeZoneSchema } from '@/lib/validation/todo'
import { requireUser } from '@/server/auth/session'
import { getTranslations } from 'next-intl/server'
import { describeWait, requestTranslator } from '@/server/i18n/translate'
import { OtpUnavailableError, requestEmailCode, verifyEmailCode } from '@/server/otp'
import { emailLocale } from '@/server/preferences'
import { consumeCodeRequest } from '@/server/throttles'
import { setSummaryHour, setTimeZone } from '@/server/users'

export type EmailCodeState = FormState<'email' | 'otp'> & {
  /** The address a code was just sent to: the page then asks for the code. */
  sentTo?: string
  verified?: string
}

export async function sendEmailCodeAction(_prev: EmailCodeState, form: FormData): Promise<EmailCodeState> {
  const viewer = await requireUser()
  const [t, messages] = await Promise.all([getTranslations('account.verification.errors'), requestTranslator()])
  const email = formText(form, 'email')
  const input = EmailCodeRequestSchema.safeParse({ email })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, messages), values: { email } }
  const verdict = await consumeCodeRequest()
  if (!verdict.allowed) {
    return {
      formError: t('tooManyRequests', { wait: describeWait(messages, verdict.retryAfterSeconds) }),
      values: { email },
    }
  }
  try {
    const result = await requestEmailCode(viewer, input.data.email, await emailLocale(viewer))
    if (result.ok) return { sentTo: input.data.email, values: { email: input.data.email } }
    if (result.reason === 'already-verified') return { formError: t('alreadyVerified'), values: { email } }
    return {
      formError: t('resendWait', { wait: describeWait(messages, result.retryAfterSeconds) }),
      values: { email },
    }
  } catch (error) {
    if (error instanceof OtpUnavailableError) return { formError: t('unavailable'), values: { email } }
    throw error
  }
}

export async function verifyEmailCodeAction(_prev: EmailCodeState, form: FormData): Promise<EmailCodeState> {
  const viewer = await requireUser()
  const [t, messages] = await Promise.all([getTranslations('account.verification.errors'), requestTranslator()])
  const email = formText(form, 'email')
  const otp = formText(form, 'otp')
  const input = EmailCodeVerifySchema.safeParse({ email, otp })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, messages), values: { email, otp } }
  try {
    const result = await verifyEmailCode(viewer, input.data.email, input.data.otp, await emailLocale(viewer))
    if (result.ok) {
      revalidatePath('/account')
      return { verified: result.account.email }
    }
    if (result.reason === 'email-unavailable') {
      return { formError: t('unusable'), values: { email } }
    }
    return { fieldErrors: { otp: [t('wrongCode')] }, values: { email } }
  } catch (error) {
    if (error instanceof OtpUnavailableError) return { formError: t('unavailable'), values: { email } }
    throw error
  }
}

/** The morning-summary form: "off" or an hour 0-23. A plain form post, so it works without JavaScript. */
export async function setSummaryHourAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const raw = formText(form, 'hour')
  const hour = /^(?:[0-9]|1[0-9]|2[0-3])$/.test(raw) ? Number(raw) : null
  await setSummaryHour(viewer, hour)
  revalidatePath('/account')
  redirect('/account?summary=saved')
}

export type TimeZoneState = FormState<'timeZone'> & { saved?: string }

/** Saves the zone the viewer's dates are typed and shown in; only a real IANA zone is taken. */
export async function saveTimeZoneAction(_prev: TimeZoneState, form: FormData): Promise<TimeZoneState> {
  const viewer = await requireUser()
  const t = await getTranslations('account.timeZone')
  const timeZone = formText(form, 'timeZone')
  const input = TimeZoneSchema.safeParse(timeZone)
  if (!input.success) return { fieldErrors: { timeZone: [t('invalid')] }, values: { timeZone } }
  await setTimeZone(viewer, input.data)
  revalidatePath('/', 'layout')
  return { saved: input.data, values: { timeZone: input.data } }
}
