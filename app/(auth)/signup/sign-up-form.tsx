'use client'
import Link from 'next/link'
import { useActionState } from 'react'
import { Field } from '@/app/_components/field'
import { FormAlert } from '@/app/_components/form-alert'
import { SubmitButton } from '@/app/_components/submit-button'
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from '@/lib/validation/limits'
import { signUpAction, type SignUpState } from '../actions'

export function SignUpForm({ returnTo }: { returnTo: string }) {
  const [state, action] = useActionState<SignUpState, FormData>(signUpAction, {})
  return (
    <>
      <h1>Create your account</h1>
      <form action={action} className="stack" noValidate>
        <input type="hidden" name="callbackUrl" value={returnTo} />
        <FormAlert message={state.formError} />
        <Field
          name="username"
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          hint={`${USERNAME_MIN_LENGTH}–${USERNAME_MAX_LENGTH} characters: letters, digits, and _ . -`}
          defaultValue={state.values?.username}
          errors={state.fieldErrors?.username}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint={`${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters. A long phrase is easy to remember and hard to guess.`}
          errors={state.fieldErrors?.password}
        />
        <Field
          name="confirmPassword"
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          required
          errors={state.fieldErrors?.confirmPassword}
        />
        <SubmitButton pendingText="Creating account…">Sign up</SubmitButton>
      </form>
      <p className="auth-switch">
        Already have an account? <Link href={returnTo === '/todos' ? '/login' : `/login?callbackUrl=${encodeURIComponent(returnTo)}`}>Log in</Link>
      </p>
    </>
  )
}
