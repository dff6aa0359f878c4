'use client'
import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { useActionState } from 'react'
import { Field } from '@/app/_components/field'
import { FormAlert } from '@/app/_components/form-alert'
import { SubmitButton } from '@/app/_components/submit-button'
import { forgotPasswordAction, type ForgotPasswordState } from '../password-actions'

export function ForgotPasswordForm({ validMinutes }: { validMinutes: number }) {
  const t = useTranslations('auth')
  const [state, action] = useActionState<ForgotPasswordState, FormData>(forgotPasswordAction, {})
  return (
    <>
      <h1>{t('forgot.title')}</h1>
      <p className="auth-intro">{t('forgot.intro')}</p>
      {/* The same sentence whoever the address belongs to: it never says whether an account has it. */}
      {state.sent ? (
        <p className="form-notice" role="status">
          {t('forgot.sent', { minutes: validMinutes })}
        </p>
      ) : null}
      <form action={action} className="stack" noValidate>
        <FormAlert message={state.formError} />
        <Field
          name="email"
          label={t('fields.email')}
          type="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          hint={t('forgot.hint')}
          defaultValue={state.values?.email}
          errors={state.fieldErrors?.email}
        />
        <SubmitButton pendingText={t('forgot.pending')}>{t('forgot.submit')}</SubmitButton>
      </form>
      <p className="auth-switch">{t.rich('forgot.back', { link: (chunks) => <Link href="/login">{chunks}</Link> })}</p>
    </>
  )
}
