'use client'
import Link from 'next/link'
import { useActionState } from 'react'
import { Field } from '@/app/_components/field'
import { FormAlert } from '@/app/_components/form-alert'
import { SubmitButton } from '@/app/_components/submit-button'
import { logInAction, type LogInState } from '../actions'

export function LogInForm({ returnTo, notice }: { returnTo: string; notice?: string }) {
  const [state, action] = useActionState<LogInState, FormData>(logInAction, {})
  const signUpHref = returnTo === '/todos' ? '/signup' : `/signup?callbackUrl=${encodeURIComponent(returnTo)}`
  return (
    <>
      <h1>Log in</h1>
      {notice && !state.formError ? (
        <p className="form-notice" role="status">
          {notice}
        </p>
      ) : null}
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
          defaultValue={state.values?.username}
          errors={state.fieldErrors?.username}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          errors={state.fieldErrors?.password}
        />
        <SubmitButton pendingText="Logging in…">Log in</SubmitButton>
      </form>
      <p className="auth-switch">
        New here? <Link href={signUpHref}>Create an account</Link>
      </p>
    </>
  )
}
