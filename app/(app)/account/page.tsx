import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { requireUser } from '@/server/auth/session'
import { env } from '@/server/env'
import { devMailboxEnabled } from '@/server/mail/dev-mailbox'
import { pendingEmail } from '@/server/otp'
import { findAccount } from '@/server/users'
import { EmailVerification } from './_components/email-verification'
import { ChangePasswordForm, DeleteAccountForm, LogOutEverywhereForm } from './_components/security-forms'

export const metadata: Metadata = { title: 'Account' }

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' })

export default async function AccountPage({ searchParams }: PageProps<'/account'>) {
  const viewer = await requireUser()
  const { password } = await searchParams
  const [account, pending] = await Promise.all([findAccount(viewer.id), pendingEmail(viewer)])
  if (!account) redirect('/login')

  return (
    <section className="card account-card" aria-labelledby="account-heading">
      <h1 id="account-heading">Account</h1>
      {password === 'changed' ? (
        <p className="form-success" role="status">
          Your password is changed. Your other sessions and API tokens were logged out.
        </p>
      ) : null}
      <dl className="account-facts">
        <div>
          <dt>Username</dt>
          <dd>{account.username}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>
            {account.email && account.emailVerifiedAt ? (
              <>
                {account.email}{' '}
                <span className="badge badge-success">Verified {dateFormat.format(account.emailVerifiedAt)}</span>
              </>
            ) : (
              <span className="muted">No verified email yet</span>
            )}
          </dd>
        </div>
      </dl>
      <EmailVerification
        hasVerifiedEmail={Boolean(account.emailVerifiedAt)}
        pendingEmail={pending}
        devMailbox={devMailboxEnabled()}
        codeValidFor={describeDuration(env.OTP_TTL_SECONDS)}
      />
      <ChangePasswordForm />
      <LogOutEverywhereForm />
      <DeleteAccountForm />
    </section>
  )
}

function describeDuration(seconds: number): string {
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`
  return `${seconds} seconds`
}
