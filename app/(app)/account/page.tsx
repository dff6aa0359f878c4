import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { getFormatter, getTranslations } from 'next-intl/server'
import { ClientMessages } from '@/app/_components/client-messages'
import { requireUser } from '@/server/auth/session'
import { env } from '@/server/env'
import { describeWait, requestTranslator } from '@/server/i18n/translate'
import { devMailboxEnabled } from '@/server/mail/dev-mailbox'
import { pendingEmail } from '@/server/otp'
import { IMPORT_MAX_TODOS, todoRoomOf } from '@/server/transfer'
import { findAccount, findSummarySettings } from '@/server/users'
import { EmailVerification } from './_components/email-verification'
import { SummaryForm } from './_components/summary-form'
import { ChangePasswordForm, DeleteAccountForm, LogOutEverywhereForm } from './_components/security-forms'
import { TimeZoneForm } from './_components/time-zone-form'
import { DataSection } from './_components/data-section'

/** Every IANA zone this runtime knows, with UTC (which the list leaves out) and the viewer's own. */
function timeZoneChoices(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'))
  zones.add('UTC')
  zones.add(current)
  return [...zones].sort()
}

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('title') }
}

export default async function AccountPage({ searchParams }: PageProps<'/account'>) {
  const viewer = await requireUser()
  const { password, summary } = await searchParams
  const [account, summarySettings, pending, t, format, messages, room] = await Promise.all([
    findAccount(viewer.id),
    findSummarySettings(viewer),
    pendingEmail(viewer),
    getTranslations('account'),
    getFormatter(),
    requestTranslator(),
    todoRoomOf(viewer),
  ])
  if (!account) redirect('/login')

  return (
    <ClientMessages namespaces={['account']}>
      <section className="card account-card" aria-labelledby="account-heading">
        <h1 id="account-heading">{t('title')}</h1>
        {password === 'changed' ? (
          <p className="form-success" role="status">
            {t('passwordChanged')}
          </p>
        ) : null}
        <dl className="account-facts">
          <div>
            <dt>{t('username')}</dt>
            <dd>{account.username}</dd>
          </div>
          <div>
            <dt>{t('email')}</dt>
            <dd>
              {account.email && account.emailVerifiedAt ? (
                <>
                  {account.email}{' '}
                  <span className="badge badge-success">
                    {t('verifiedOn', { date: format.dateTime(account.emailVerifiedAt, { dateStyle: 'medium' }) })}
                  </span>
                </>
              ) : (
                <span className="muted">{t('noVerifiedEmail')}</span>
              )}
            </dd>
          </div>
        </dl>
        <EmailVerification
          hasVerifiedEmail={Boolean(account.emailVerifiedAt)}
          pendingEmail={pending}
          devMailbox={devMailboxEnabled()}
          codeValidFor={describeWait(messages, env.OTP_TTL_SECONDS)}
        />
        <TimeZoneForm current={viewer.timeZone} zones={timeZoneChoices(viewer.timeZone)} />
        <SummaryForm
          hour={summarySettings?.hour ?? null}
          timeZone={summarySettings?.timeZone ?? 'UTC'}
          hasVerifiedEmail={Boolean(account.emailVerifiedAt)}
          saved={summary === 'saved'}
        />
        <DataSection count={room.count} limit={room.limit} maxTodos={IMPORT_MAX_TODOS} />
        <ChangePasswordForm />
        <LogOutEverywhereForm />
        <DeleteAccountForm />
      </section>
    </ClientMessages>
  )
}
