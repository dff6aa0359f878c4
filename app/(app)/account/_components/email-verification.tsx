'use client'
import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { useActionState, useState } from 'react'
import { Field } from '@/app/_components/field'
import { FormAlert } from '@/app/_components/form-alert'
import { SubmitButton } from '@/app/_components/submit-button'
import { sendEmailCodeAction, verifyEmailCodeAction, type EmailCodeState } from '../actions'

type Props = { hasVerifiedEmail: boolean; pendingEmail: string | null; devMailbox: boolean; codeValidFor: string }

/** Two steps: send a code to an address, then type the code. A new code can be sent at any time. */
export function EmailVerification({ hasVerifiedEmail, pendingEmail, devMailbox, codeValidFor }: Props) {
  const t = useTranslations('account.verification')
  const [sendState, sendAction] = useActionState<EmailCodeState, FormData>(sendEmailCodeAction, {})
  const [verifyState, verifyAction] = useActionState<EmailCodeState, FormData>(verifyEmailCodeAction, {})
  // The address the code form is for: the last one a code went to, until the user picks another.
  const [sentTo, setSentTo] = useState<string | null>(pendingEmail)
  const [answeredSend, setAnsweredSend] = useState(sendState)
  if (sendState !== answeredSend) {
    setAnsweredSend(sendState)
    if (sendState.sentTo) setSentTo(sendState.sentTo)
  }

  if (verifyState.verified) {
    return (
      <p className="form-success" role="status">
        {t('verified', { email: verifyState.verified })}
      </p>
    )
  }

  if (!sentTo) {
    return (
      <form action={sendAction} className="stack" noValidate>
        <h2>{hasVerifiedEmail ? t('changeHeading') : t('verifyHeading')}</h2>
        <FormAlert message={sendState.formError} />
        <Field
          name="email"
          label={t('emailLabel')}
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          defaultValue={sendState.values?.email}
          errors={sendState.fieldErrors?.email}
          hint={t('codeHint', { duration: codeValidFor })}
        />
        <SubmitButton pendingText={t('sending')}>{t('send')}</SubmitButton>
      </form>
    )
  }

  return (
    <div className="stack">
      <h2>{t('enterHeading')}</h2>
      <p role="status">
        {t.rich('sentTo', { email: sentTo, duration: codeValidFor, strong: (chunks) => <strong>{chunks}</strong> })}
        {devMailbox ? (
          <>
            {' '}
            {t.rich('devMailbox', { link: (chunks) => <Link href="/dev/mailbox">{chunks}</Link> })}
          </>
        ) : null}
      </p>
      <form action={verifyAction} className="stack" noValidate>
        <input type="hidden" name="email" value={sentTo} />
        <FormAlert message={verifyState.formError} />
        <Field
          name="otp"
          label={t('codeLabel')}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          required
          autoFocus
          errors={verifyState.fieldErrors?.otp}
        />
        <SubmitButton pendingText={t('verifying')}>{t('verify')}</SubmitButton>
      </form>
      <div className="inline-actions">
        <form action={sendAction}>
          <input type="hidden" name="email" value={sentTo} />
          <button type="submit" className="button button-quiet">
            {t('resend')}
          </button>
        </form>
        <button type="button" className="button button-quiet" onClick={() => setSentTo(null)}>
          {t('useAnother')}
        </button>
      </div>
      <FormAlert message={sendState.sentTo ? undefined : sendState.formError} />
    </div>
  )
}
