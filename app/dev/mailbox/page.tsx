import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { getFormatter, getTranslations } from 'next-intl/server'
import { AppHeader } from '@/app/_components/app-header'
import { requireUser } from '@/server/auth/session'
import { devMailboxDir, devMailboxEnabled, listMessages } from '@/server/mail/dev-mailbox'
import { formatTime } from './format'
import styles from './mailbox.module.css'

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('mailbox'))('title') }
}

/** The mail the app sent while SMTP_URL is unset, newest first; not there in production. */
export default async function DevMailboxPage() {
  // Checked before the session, so production answers 404 to everyone rather than "log in".
  if (!devMailboxEnabled()) notFound()
  const viewer = await requireUser()
  const dir = devMailboxDir()
  const [messages, t, format] = await Promise.all([listMessages(dir), getTranslations('mailbox'), getFormatter()])

  return (
    <>
      <AppHeader viewer={viewer} />
      <main id="main" className="app-main">
        <div className={styles.titleRow}>
          <h1 className={styles.title}>{t('title')}</h1>
          {/* The page is dynamic: navigating to it again renders it afresh, with any new mail. */}
          <Link href="/dev/mailbox" prefetch={false} className="button button-quiet">
            {t('refresh')}
          </Link>
        </div>
        <p className={styles.intro}>
          {t.rich('intro', {
            dir,
            code: (chunks) => <code>{chunks}</code>,
            todos: (chunks) => <Link href="/todos">{chunks}</Link>,
            account: (chunks) => <Link href="/account">{chunks}</Link>,
          })}
        </p>

        <section className={`card ${styles.card}`} aria-labelledby="messages-heading">
          <h2 id="messages-heading" className="visually-hidden">
            {t('messagesHeading')}
          </h2>
          {messages.length === 0 ? (
            <p className={styles.empty}>
              {t.rich('empty', { account: (chunks) => <Link href="/account">{chunks}</Link> })}
            </p>
          ) : (
            <ul className={styles.list}>
              {messages.map((message) => (
                <li key={message.id}>
                  <Link href={`/dev/mailbox/${message.id}`} className={styles.row}>
                    <span className={styles.subject}>{message.subject}</span>
                    <time className={styles.time} dateTime={message.date}>
                      {formatTime(format, message.date)}
                    </time>
                    <span className={styles.to}>{t('to', { address: message.to })}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </>
  )
}
