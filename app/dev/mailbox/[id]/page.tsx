import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { AppHeader } from '@/app/_components/app-header'
import { requireUser } from '@/server/auth/session'
import { devMailboxDir, devMailboxEnabled, readMessage } from '@/server/mail/dev-mailbox'
import { formatTime } from '../format'
import styles from '../mailbox.module.css'

export const metadata: Metadata = { title: 'Development mailbox' }

/** One message: its headers, its HTML part in a sandbox, and its text part. */
export default async function DevMailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  if (!devMailboxEnabled()) notFound()
  const viewer = await requireUser()
  const { id } = await params
  // readMessage accepts only the mailbox's own id pattern, so `id` cannot name another file.
  const message = await readMessage(devMailboxDir(), id)
  if (!message) notFound()

  const headers: Array<[string, string]> = [
    ['From', message.from],
    ['To', message.to],
    ['Subject', message.subject],
    ['Date', formatTime(message.date)],
  ]
  if (message.messageId) headers.push(['Message-ID', message.messageId])

  return (
    <>
      <AppHeader viewer={viewer} />
      <main id="main" className="app-main">
        <nav aria-label="Breadcrumb" className={styles.back}>
          <Link href="/dev/mailbox">← Development mailbox</Link>
          <span className={styles.backOthers}>
            <Link href="/todos">Todos</Link>
            <Link href="/account">Account</Link>
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
              HTML
            </h2>
            {/* sandbox="" : no scripts, no forms, no same-origin access, whatever the message holds. */}
            <iframe
              title={`HTML part of “${message.subject}”`}
              sandbox=""
              srcDoc={message.html}
              className={styles.frame}
            />
          </section>

          <section aria-labelledby="text-heading" className={styles.part}>
            <h2 id="text-heading" className={styles.partTitle}>
              Plain text
            </h2>
            <pre className={styles.text}>{message.text}</pre>
          </section>
        </article>
      </main>
    </>
  )
}
