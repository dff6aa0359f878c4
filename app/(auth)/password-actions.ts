'use server'
import { AuthError } from 'next-auth'
import { redirect } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { ForgotPasswordSchema, ResetPasswordSchema } from '@/lib/validation/auth'
import { signIn } from '@/server/auth/config'
import { isDatabaseUnavailable } from '@/server/db-errors'
import { requestTranslator } from '@/server/i18n/translate'
import { PasswordResetUnavailableError, requestPasswordReset, resetPassword } from '@/server/password-reset'
import { requestPreferences } from '@/server/preferences'
import { clientAddress } from '@/server/throttles'

export type ForgotPasswordState = FormState<'email'> & {
  /** The request was taken: the page says the one neutral sentence, whoever the address belongs to. */
  sent?: boolean
}
export type ResetPasswordState = FormState<'password' | 'confirmPassword'> & {
  /** The token is unknown, expired, used or superseded: the page offers to ask for a new link. */
  invalidLink?: boolean
}

/**
 * Asks for a reset link. Public, like the log-in form. The answer is the same for an address with
 * a verified account, one without, and one over its rate limit (see requestPasswordReset): only a
 * malformed address, or Redis being away for everyone, gets another.
 */
export async function forgotPasswordAction(_prev: ForgotPasswordState, form: FormData): Promise<ForgotPasswordState> {
  const email = formText(form, 'email')
  const input = ForgotPasswordSchema.safeParse({ email })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, await requestTranslator()), values: { email } }
  try {
    const [{ locale }, address] = await Promise.all([requestPreferences(), clientAddress()])
    await requestPasswordReset({ email: input.data.email, locale, address })
  } catch (error) {
    if (error instanceof PasswordResetUnavailableError) {
      return { formError: (await getTranslations('auth.errors'))('unavailable'), values: { email } }
    }
    throw error
  }
  return { sent: true, values: { email: input.data.email } }
}

/**
 * Sets a new password with the token from the link, then signs in on this device (every other
 * session and API token of the account has ended) and goes to the list.
 */
export async function resetPasswordAction(_prev: ResetPasswordState, form: FormData): Promise<ResetPasswordState> {
  const messages = await requestTranslator()
  const input = ResetPasswordSchema.safeParse({
    token: formText(form, 'token'),
    password: formText(form, 'password'),
    confirmPassword: formText(form, 'confirmPassword'),
  })
  if (!input.success) {
    const fieldErrors = fieldErrorsOf<'token' | 'password' | 'confirmPassword'>(input.error, messages)
    if (fieldErrors.token) return { invalidLink: true }
    return { fieldErrors: { password: fieldErrors.password, confirmPassword: fieldErrors.confirmPassword } }
  }

  let result: Awaited<ReturnType<typeof resetPassword>>
  try {
    result = await resetPassword(input.data.token, input.data.password, (await requestPreferences()).locale)
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { formError: (await getTranslations('auth.errors'))('unavailable') }
    throw error
  }
  if (!result.ok) return { invalidLink: true }

  try {
    await signIn('credentials', { username: result.account.username, password: input.data.password, redirectTo: '/todos' })
  } catch (error) {
    if (!(error instanceof AuthError)) throw error // includes Next's redirect, which must propagate
  }
  // The password is changed but this sign-in failed (the database went away in between, say).
  redirect('/login?password=reset')
}
