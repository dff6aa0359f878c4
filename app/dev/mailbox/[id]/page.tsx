import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { getFormatter, getTranslations } from 'next-intl/server'
import { AppHeader } from '@/app/_components/app-header'
import { requireUser } from '@/server/auth/session'
import { devMailboxDir, devMailboxEnabled, readMessage } from '@/server/mail/dev-mailbox'
import { formatTime } from '../format'
import styles from '../mailbox.module.css'

// The list's title, not the subject: metadata may render before the page's session check.
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('mailbox'))('title') }
}

/** One message: its headers, its HTML part in a sandbox, and its text part. */
export default async function DevMailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  if (!devMailboxEnabled()) notFound()
  const viewer = await requireUser()
  const { id } = await params
  // readMessage accepts only the mailbox's own id pattern, so `id` cannot name another file.
  const [message, t, format] = await Promise.all([
    readMessage(devMailboxDir(), id),
    getTranslations('mailbox'),
    getFormatter(),
  ])
  if (!message) notFound()

  const headers: Array<[string, string]> = [
    [t('headers.from'), message.from],
    [t('headers.to'), message.to],
    [t('headers.subject'), message.subject],
    [t('headers.date'), formatTime(format, message.date)],
  ]
  if (message.messageId) headers.push([t('headers.messageId'), message.messageId])

  return (
    <>
      <AppHeader viewer={viewer} />
      <main id="main" className="app-main">
        <nav aria-label={t('breadcrumb')} className={styles.back}>
          <Link href="/dev/mailbox">{t('backToList')}</Link>
          <span className={styles.backOthers}>
            <Link href="/todos">{t('todos')}</Link>
            <Link href="/account">{t('account')}</Link>
          </span>
        </nav>

        <article className={`card ${styles.message}`}>
          <h1 className={styles.messageTitle}>{message.subject}</h1>
          <dl className={styles.headers}>
            {headers.map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>

          <section aria-labelledby="html-heading" className={styles.part}>
            <h2 id="html-heading" className={styles.partTitle}>
              {t('htmlHeading')}
            </h2>
            {/* sandbox="" : no scripts, no forms, no same-origin access, whatever the message holds. */}
            <iframe
              title={t('htmlFrame', { subject: message.subject })}
              sandbox=""
              srcDoc={message.html}
              className={styles.frame}
            />
          </section>

          <section aria-labelledby="text-heading" className={styles.part}>
            <h2 id="text-heading" className={styles.partTitle}>
              {t('textHeading')}
            </h2>
            <pre className={styles.text}>{message.text}</pre>
          </section>
        </article>
      </main>
    </>
  )
}
