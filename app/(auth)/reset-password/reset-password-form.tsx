'use client'
import { useTranslations } from 'next-intl'
import { useActionState } from 'react'
import { Field } from '@/app/_components/field'
import { FormAlert } from '@/app/_components/form-alert'
import { SubmitButton } from '@/app/_components/submit-button'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/validation/limits'
import { resetPasswordAction, type ResetPasswordState } from '../password-actions'
import { InvalidResetLink } from './invalid-reset-link'

export function ResetPasswordForm({ token, username }: { token: string; username: string }) {
  const t = useTranslations('auth')
  const [state, action] = useActionState<ResetPasswordState, FormData>(resetPasswordAction, {})
  // Used, expired or superseded since the page was shown (in another tab, say).
  if (state.invalidLink) return <InvalidResetLink />
  return (
    <>
      <h1>{t('reset.title')}</h1>
      <p className="auth-intro">
        {t.rich('reset.intro', { username, name: (chunks) => <strong className="auth-username">{chunks}</strong> })}
      </p>
      <form action={action} className="stack" noValidate>
        <input type="hidden" name="token" value={token} />
        {/* For password managers: the account the new password belongs to. */}
        <input type="text" name="username" value={username} autoComplete="username" readOnly hidden />
        <FormAlert message={state.formError} />
        <Field
          name="password"
          label={t('reset.new')}
          type="password"
          autoComplete="new-password"
          required
          autoFocus
          hint={t('signup.passwordHint', { passwordMin: PASSWORD_MIN_LENGTH, passwordMax: PASSWORD_MAX_LENGTH })}
          errors={state.fieldErrors?.password}
        />
        <Field
          name="confirmPassword"
          label={t('reset.confirm')}
          type="password"
          autoComplete="new-password"
          required
          errors={state.fieldErrors?.confirmPassword}
        />
        <SubmitButton pendingText={t('reset.pending')}>{t('reset.submit')}</SubmitButton>
      </form>
    </>
  )
}
