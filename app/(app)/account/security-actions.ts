'use server'
import { redirect } from 'next/navigation'
import { signIn, signOut } from '@/server/auth/config'
import { requireUser } from '@/server/auth/session'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { ChangePasswordSchema, ConfirmWithPasswordSchema } from '@/lib/validation/auth'
import { englishTranslator } from '@/lib/validation/messages'
import { endAllSessions } from '@/server/sessions'
import { checkLogIn, describeWait, recordLogInFailure } from '@/server/throttles'
import { changePassword, checkPassword, deleteAccount, type Viewer } from '@/server/users'

// i18n: the page locale's translator comes with the request config
const t = englishTranslator

export type ChangePasswordState = FormState<'currentPassword' | 'newPassword' | 'confirmPassword'> & { done?: boolean }
export type DeleteAccountState = FormState<'password'>

const WRONG_PASSWORD = 'That is not your current password'

/**
 * Whether `password` is the viewer's, or why not. Wrong guesses here count like failed log-ins:
 * an unattended session must not become a way to guess the password.
 */
async function confirmPassword(viewer: Viewer, password: string): Promise<string | null> {
  const verdict = await checkLogIn(viewer.username)
  if (!verdict.allowed) return `Too many wrong passwords. Try again in ${describeWait(verdict.retryAfterSeconds)}.`
  if (await checkPassword(viewer, password)) return null
  await recordLogInFailure(viewer.username)
  return WRONG_PASSWORD
}

/** Ends every session of the account, this one included. */
export async function logOutEverywhereAction(): Promise<void> {
  const viewer = await requireUser()
  await endAllSessions(viewer)
  await signOut({ redirectTo: '/login?ended=everywhere' })
}

/**
 * Changes the password (the current one is required) and ends every other session and API token;
 * this browser gets a fresh session under the new password.
 */
export async function changePasswordAction(_prev: ChangePasswordState, form: FormData): Promise<ChangePasswordState> {
  const viewer = await requireUser()
  const input = ChangePasswordSchema.safeParse({
    currentPassword: formText(form, 'currentPassword'),
    newPassword: formText(form, 'newPassword'),
    confirmPassword: formText(form, 'confirmPassword'),
  })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, t) }
  const wrong = await confirmPassword(viewer, input.data.currentPassword)
  if (wrong) return { fieldErrors: { currentPassword: [wrong] } }
  await changePassword(viewer, input.data.newPassword)
  await signIn('credentials', {
    username: viewer.username,
    password: input.data.newPassword,
    redirectTo: '/account?password=changed',
  })
  return { done: true }
}

/** Deletes the account and everything in it (the password is required), then ends the session. */
export async function deleteAccountAction(_prev: DeleteAccountState, form: FormData): Promise<DeleteAccountState> {
  const viewer = await requireUser()
  const input = ConfirmWithPasswordSchema.safeParse({ password: formText(form, 'password') })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, t) }
  const wrong = await confirmPassword(viewer, input.data.password)
  if (wrong) return { fieldErrors: { password: [wrong] } }
  await deleteAccount(viewer)
  await signOut({ redirect: false })
  redirect('/login?account=deleted')
}
