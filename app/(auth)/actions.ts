'use server'
import { AuthError } from 'next-auth'
import { signIn } from '@/server/auth/config'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { safeReturnPath } from '@/lib/safe-redirect'
import { LogInSchema, SignUpSchema } from '@/lib/validation/auth'
import { englishTranslator } from '@/lib/validation/messages'
import { isDatabaseUnavailable } from '@/server/db-errors'
import { checkLogIn, consumeSignUp, describeWait, recordLogInFailure } from '@/server/throttles'
import { createUser } from '@/server/users'

// i18n: the page locale's translator comes with the request config
const t = englishTranslator

export type LogInState = FormState<'username' | 'password'>
export type SignUpState = FormState<'username' | 'password' | 'confirmPassword'>

const INVALID_CREDENTIALS = 'Invalid username or password'
const UNAVAILABLE = 'The service is temporarily unavailable. Please try again in a moment.'

const tooManyFailures = (seconds: number) =>
  `Too many failed attempts. Try again in ${describeWait(seconds)}.`

/**
 * Signs in and redirects (by throwing) to the page that asked for log-in; returns only failures.
 * Failed attempts count against the username and the address (see server/throttles.ts).
 */
async function signInAndRedirect(username: string, password: string, redirectTo: string): Promise<string> {
  const verdict = await checkLogIn(username)
  if (!verdict.allowed) return tooManyFailures(verdict.retryAfterSeconds)
  try {
    await signIn('credentials', { username, password, redirectTo })
  } catch (error) {
    if (!(error instanceof AuthError)) throw error // includes Next's redirect, which must propagate
    const cause = (error.cause as { err?: unknown } | undefined)?.err
    if (isDatabaseUnavailable(cause)) return UNAVAILABLE
    await recordLogInFailure(username)
    return INVALID_CREDENTIALS
  }
  return INVALID_CREDENTIALS // unreachable: signIn redirects on success
}

export async function logInAction(_prev: LogInState, form: FormData): Promise<LogInState> {
  const username = formText(form, 'username')
  const input = LogInSchema.safeParse({ username, password: formText(form, 'password') })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, t), values: { username } }

  const returnTo = safeReturnPath(formText(form, 'callbackUrl'))
  const formError = await signInAndRedirect(input.data.username, input.data.password, returnTo)
  return { formError, values: { username } }
}

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const username = formText(form, 'username')
  const input = SignUpSchema.safeParse({
    username,
    password: formText(form, 'password'),
    confirmPassword: formText(form, 'confirmPassword'),
  })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, t), values: { username } }
  const verdict = await consumeSignUp()
  if (!verdict.allowed) {
    return {
      formError: `Too many sign-ups from your network. Try again in ${describeWait(verdict.retryAfterSeconds)}.`,
      values: { username },
    }
  }

  try {
    const created = await createUser(input.data)
    if (!created.ok) return { fieldErrors: { username: ['That username is taken'] }, values: { username } }
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { formError: UNAVAILABLE, values: { username } }
    throw error
  }
  const returnTo = safeReturnPath(formText(form, 'callbackUrl'))
  const formError = await signInAndRedirect(input.data.username, input.data.password, returnTo)
  return { formError, values: { username } }
}
