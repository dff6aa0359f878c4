'use server'
import { AuthError } from 'next-auth'
import { getTranslations } from 'next-intl/server'
import { signIn } from '@/server/auth/config'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { safeReturnPath } from '@/lib/safe-redirect'
import { LogInSchema, SignUpSchema } from '@/lib/validation/auth'
import { isDatabaseUnavailable } from '@/server/db-errors'
import { describeWait, requestTranslator } from '@/server/i18n/translate'
import { requestPreferences } from '@/server/preferences'
import { checkLogIn, consumeSignUp, recordLogInFailure } from '@/server/throttles'
import { TimeZoneSchema } from '@/lib/validation/todo'
import { createUser, setTimeZone } from '@/server/users'

export type LogInState = FormState<'username' | 'password'>
export type SignUpState = FormState<'username' | 'password' | 'confirmPassword'>

/**
 * Signs in and redirects (by throwing) to the page that asked for log-in; returns only failures.
 * Failed attempts count against the username and the address (see server/throttles.ts).
 */
async function signInAndRedirect(username: string, password: string, redirectTo: string): Promise<string> {
  const t = await getTranslations('auth.errors')
  const verdict = await checkLogIn(username)
  if (!verdict.allowed) {
    return t('tooManyFailures', { wait: describeWait(await requestTranslator(), verdict.retryAfterSeconds) })
  }
  try {
    await signIn('credentials', { username, password, redirectTo })
  } catch (error) {
    if (!(error instanceof AuthError)) throw error // includes Next's redirect, which must propagate
    const cause = (error.cause as { err?: unknown } | undefined)?.err
    if (isDatabaseUnavailable(cause)) return t('unavailable')
    await recordLogInFailure(username)
    return t('invalidCredentials')
  }
  return t('invalidCredentials') // unreachable: signIn redirects on success
}

export async function logInAction(_prev: LogInState, form: FormData): Promise<LogInState> {
  const username = formText(form, 'username')
  const input = LogInSchema.safeParse({ username, password: formText(form, 'password') })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, await requestTranslator()), values: { username } }

  const returnTo = safeReturnPath(formText(form, 'callbackUrl'))
  const formError = await signInAndRedirect(input.data.username, input.data.password, returnTo)
  return { formError, values: { username } }
}

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const [t, messages] = await Promise.all([getTranslations('auth.errors'), requestTranslator()])
  const username = formText(form, 'username')
  const input = SignUpSchema.safeParse({
    username,
    password: formText(form, 'password'),
    confirmPassword: formText(form, 'confirmPassword'),
  })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, messages), values: { username } }
  const verdict = await consumeSignUp()
  if (!verdict.allowed) {
    return { formError: t('tooManySignUps', { wait: describeWait(messages, verdict.retryAfterSeconds) }), values: { username } }
  }

  try {
    // The account starts in the language and theme this page was shown in.
    const created = await createUser({ ...input.data, preferences: await requestPreferences() })
    if (!created.ok) return { fieldErrors: { username: [t('usernameTaken')] }, values: { username } }
    // The browser's zone when its script filled the field in; else the account keeps UTC.
    const zone = TimeZoneSchema.safeParse(formText(form, 'timeZone'))
    if (zone.success && zone.data !== 'UTC') await setTimeZone(created.viewer, zone.data)
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { formError: t('unavailable'), values: { username } }
    throw error
  }
  const returnTo = safeReturnPath(formText(form, 'callbackUrl'))
  const formError = await signInAndRedirect(input.data.username, input.data.password, returnTo)
  return { formError, values: { username } }
}
