'use client'
import { useActionState } from 'react'
import { Field } from '@/app/_components/field'
import { SubmitButton } from '@/app/_components/submit-button'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/validation/limits'
import {
  changePasswordAction,
  deleteAccountAction,
  logOutEverywhereAction,
  type ChangePasswordState,
  type DeleteAccountState,
} from '../security-actions'

export function ChangePasswordForm() {
  const [state, action] = useActionState<ChangePasswordState, FormData>(changePasswordAction, {})
  return (
    <form action={action} className="stack" noValidate aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <Field
        name="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        errors={state.fieldErrors?.currentPassword}
      />
      <Field
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint={`${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters. Your other sessions will be logged out.`}
        errors={state.fieldErrors?.newPassword}
      />
      <Field
        name="confirmPassword"
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        errors={state.fieldErrors?.confirmPassword}
      />
      <SubmitButton pendingText="Changing…">Change password</SubmitButton>
    </form>
  )
}

export function LogOutEverywhereForm() {
  return (
    <form action={logOutEverywhereAction} className="stack" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <p className="muted">Log out on every device and browser, this one included. API tokens stop working too.</p>
      <div>
        <button type="submit" className="button button-quiet">
          Log out everywhere
        </button>
      </div>
    </form>
  )
}

export function DeleteAccountForm() {
  const [state, action] = useActionState<DeleteAccountState, FormData>(deleteAccountAction, {})
  return (
    <form action={action} className="stack danger-zone" noValidate aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete your account</h2>
      <p className="muted">This deletes your account and all your todos at once. It cannot be undone.</p>
      <Field
        name="password"
        id="delete-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        errors={state.fieldErrors?.password}
      />
      <div>
        <button type="submit" className="button button-danger">
          Delete my account
        </button>
      </div>
    </form>
  )
}
