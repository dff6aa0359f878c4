'use client'
import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { useActionState } from 'react'
import { Field } from '@/app/_components/field'
import { FormAlert } from '@/app/_components/form-alert'
import { SubmitButton } from '@/app/_components/submit-button'
import { logInAction, type LogInState } from '../actions'

export function LogInForm({ returnTo, notice }: { returnTo: string; notice?: string }) {
  const t = useTranslations('auth')
  const [state, action] = useActionState<LogInState, FormData>(logInAction, {})
  const signUpHref = returnTo === '/todos' ? '/signup' : `/signup?callbackUrl=${encodeURIComponent(returnTo)}`
  return (
    <>
      <h1>{t('login.title')}</h1>
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
          label={t('fields.username')}
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
          label={t('fields.password')}
          type="password"
          autoComplete="current-password"
          required
          errors={state.fieldErrors?.password}
        />
        <SubmitButton pendingText={t('login.pending')}>{t('login.submit')}</SubmitButton>
      </form>
      <p className="auth-forgot">
        <Link href="/forgot-password">{t('login.forgot')}</Link>
      </p>
      <p className="auth-switch">
        {t.rich('login.newHere', { link: (chunks) => <Link href={signUpHref}>{chunks}</Link> })}
      </p>
    </>
  )
}
