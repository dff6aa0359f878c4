'use client'
import Link from 'next/link'
import { useActionState, useState } from 'react'
import { Field } from '@/app/_components/field'
import { FormAlert } from '@/app/_components/form-alert'
import { SubmitButton } from '@/app/_components/submit-button'
import { sendEmailCodeAction, verifyEmailCodeAction, type EmailCodeState } from '../actions'

type Props = { hasVerifiedEmail: boolean; pendingEmail: string | null; devMailbox: boolean; codeValidFor: string }

/** Two steps: send a code to an address, then type the code. A new code can be sent at any time. */
export function EmailVerification({ hasVerifiedEmail, pendingEmail, devMailbox, codeValidFor }: Props) {
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
        {verifyState.verified} is verified.
      </p>
    )
  }

  if (!sentTo) {
    return (
      <form action={sendAction} className="stack" noValidate>
        <h2>{hasVerifiedEmail ? 'Change your email' : 'Verify an email address'}</h2>
        <FormAlert message={sendState.formError} />
        <Field
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          defaultValue={sendState.values?.email}
          errors={sendState.fieldErrors?.email}
          hint={`We will email you a 6-digit code. It is valid for ${codeValidFor}.`}
        />
        <SubmitButton pendingText="Sending…">Send code</SubmitButton>
      </form>
    )
  }

  return (
    <div className="stack">
      <h2>Enter the code</h2>
      <p role="status">
        We sent a 6-digit code to <strong>{sentTo}</strong>. It is valid for {codeValidFor}.
        {devMailbox ? (
          <>
            {' '}
            In development it is in the <Link href="/dev/mailbox">dev mailbox</Link>.
          </>
        ) : null}
      </p>
      <form action={verifyAction} className="stack" noValidate>
        <input type="hidden" name="email" value={sentTo} />
        <FormAlert message={verifyState.formError} />
        <Field
          name="otp"
          label="Code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          required
          autoFocus
          errors={verifyState.fieldErrors?.otp}
        />
        <SubmitButton pendingText="Verifying…">Verify</SubmitButton>
      </form>
      <div className="inline-actions">
        <form action={sendAction}>
          <input type="hidden" name="email" value={sentTo} />
          <button type="submit" className="button button-quiet">
            Send a new code
          </button>
        </form>
        <button type="button" className="button button-quiet" onClick={() => setSentTo(null)}>
          Use another address
        </button>
      </div>
      <FormAlert message={sendState.sentTo ? undefined : sendState.formError} />
    </div>
  )
}
