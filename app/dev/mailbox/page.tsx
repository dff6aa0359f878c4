import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { AppHeader } from '@/app/_components/app-header'
import { requireUser } from '@/server/auth/session'
import { devMailboxDir, devMailboxEnabled, listMessages } from '@/server/mail/dev-mailbox'
import { formatTime } from './format'
import styles from './mailbox.module.css'

export const metadata: Metadata = { title: 'Development mailbox' }

/** The mail the app sent while SMTP_URL is unset, newest first; not there in production. */
export default async function DevMailboxPage() {
  // Checked before the session, so production answers 404 to everyone rather than "log in".
  if (!devMailboxEnabled()) notFound()
  const viewer = await requireUser()
  const dir = devMailboxDir()
  const messages = await listMessages(dir)

  return (
    <>
      <AppHeader viewer={viewer} />
      <main id="main" className="app-main">
        <div className={styles.titleRow}>
          <h1 className={styles.title}>Development mailbox</h1>
          {/* The page is dynamic: navigating to it again renders it afresh, with any new mail. */}
          <Link href="/dev/mailbox" prefetch={false} className="button button-quiet">
            Refresh
          </Link>
        </div>
        <p className={styles.intro}>
          Without <code>SMTP_URL</code>, the app delivers its email here instead of sending it: the files are
          in <code>{dir}</code>. Back to <Link href="/todos">your todos</Link> or{' '}
          <Link href="/account">your account</Link>.
        </p>

        <section className={`card ${styles.card}`} aria-labelledby="messages-heading">
          <h2 id="messages-heading" className="visually-hidden">
            Messages
          </h2>
          {messages.length === 0 ? (
            <p className={styles.empty}>
              No mail yet. Ask for a verification code on <Link href="/account">your account page</Link>, then refresh.
            </p>
          ) : (
            <ul className={styles.list}>
              {messages.map((message) => (
                <li key={message.id}>
                  <Link href={`/dev/mailbox/${message.id}`} className={styles.row}>
                    <span className={styles.subject}>{message.subject}</span>
                    <time className={styles.time} dateTime={message.date}>
                      {formatTime(message.date)}
                    </time>
                    <span className={styles.to}>To {message.to}</span>
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
