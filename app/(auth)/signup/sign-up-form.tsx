'use client'
import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { useActionState, useEffect, useRef } from 'react'
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
  const t = useTranslations('auth')
  const [state, action] = useActionState<SignUpState, FormData>(signUpAction, {})
  // The browser's time zone, for the new account (without JavaScript the server takes UTC). Filled
  // again after each answer, as React resets the form after its action.
  const timeZone = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (timeZone.current) timeZone.current.value = Intl.DateTimeFormat().resolvedOptions().timeZone
  }, [state])
  const logInHref = returnTo === '/todos' ? '/login' : `/login?callbackUrl=${encodeURIComponent(returnTo)}`
  return (
    <>
      <h1>{t('signup.heading')}</h1>
      <form action={action} className="stack" noValidate>
        <input type="hidden" name="callbackUrl" value={returnTo} />
        <input ref={timeZone} type="hidden" name="timeZone" defaultValue="" />
        <FormAlert message={state.formError} />
        <Field
          name="username"
          label={t('fields.username')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          hint={t('signup.usernameHint', { usernameMin: USERNAME_MIN_LENGTH, usernameMax: USERNAME_MAX_LENGTH })}
          defaultValue={state.values?.username}
          errors={state.fieldErrors?.username}
        />
        <Field
          name="password"
          label={t('fields.password')}
          type="password"
          autoComplete="new-password"
          required
          hint={t('signup.passwordHint', { passwordMin: PASSWORD_MIN_LENGTH, passwordMax: PASSWORD_MAX_LENGTH })}
          errors={state.fieldErrors?.password}
        />
        <Field
          name="confirmPassword"
          label={t('fields.confirmPassword')}
          type="password"
          autoComplete="new-password"
          required
          errors={state.fieldErrors?.confirmPassword}
        />
        <SubmitButton pendingText={t('signup.pending')}>{t('signup.submit')}</SubmitButton>
      </form>
      <p className="auth-switch">
        {t.rich('signup.haveAccount', { link: (chunks) => <Link href={logInHref}>{chunks}</Link> })}
      </p>
    </>
  )
}
