'use client'
import { useTranslations } from 'next-intl'
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
  const t = useTranslations('account.password')
  const [state, action] = useActionState<ChangePasswordState, FormData>(changePasswordAction, {})
  return (
    <form action={action} className="stack" noValidate aria-labelledby="password-heading">
      <h2 id="password-heading">{t('heading')}</h2>
      <Field
        name="currentPassword"
        label={t('current')}
        type="password"
        autoComplete="current-password"
        required
        errors={state.fieldErrors?.currentPassword}
      />
      <Field
        name="newPassword"
        label={t('new')}
        type="password"
        autoComplete="new-password"
        required
        hint={t('hint', { passwordMin: PASSWORD_MIN_LENGTH, passwordMax: PASSWORD_MAX_LENGTH })}
        errors={state.fieldErrors?.newPassword}
      />
      <Field
        name="confirmPassword"
        label={t('confirm')}
        type="password"
        autoComplete="new-password"
        required
        errors={state.fieldErrors?.confirmPassword}
      />
      <SubmitButton pendingText={t('pending')}>{t('submit')}</SubmitButton>
    </form>
  )
}

export function LogOutEverywhereForm() {
  const t = useTranslations('account.sessions')
  return (
    <form action={logOutEverywhereAction} className="stack" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">{t('heading')}</h2>
      <p className="muted">{t('description')}</p>
      <div>
        <button type="submit" className="button button-quiet">
          {t('submit')}
        </button>
      </div>
    </form>
  )
}

export function DeleteAccountForm() {
  const t = useTranslations('account.delete')
  const [state, action] = useActionState<DeleteAccountState, FormData>(deleteAccountAction, {})
  return (
    <form action={action} className="stack danger-zone" noValidate aria-labelledby="delete-heading">
      <h2 id="delete-heading">{t('heading')}</h2>
      <p className="muted">{t('description')}</p>
      <Field
        name="password"
        id="delete-password"
        label={t('password')}
        type="password"
        autoComplete="current-password"
        required
        errors={state.fieldErrors?.password}
      />
      <div>
        <button type="submit" className="button button-danger">
          {t('submit')}
        </button>
      </div>
    </form>
  )
}
