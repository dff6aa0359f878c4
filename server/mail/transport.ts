import 'server-only'
import nodemailer from 'nodemailer'
import { env } from '../env'
import { devMailboxDir, writeMessage } from './dev-mailbox'

export type OutgoingMail = { to: string; subject: string; text: string; html: string; messageId?: string }

/** Delivers mail: to an SMTP server, or to the development mailbox. */
export type Mailer = {
  readonly kind: 'smtp' | 'dev-mailbox'
  send(mail: OutgoingMail): Promise<void>
  /** Closes pooled SMTP connections (idempotent). */
  close(): void
}

/** A failure that no retry can fix: a refused or malformed recipient, a 5xx reply. */
export class PermanentMailError extends Error {
  override name = 'PermanentMailError'
}

// One plain address, no display name and no list: `to` comes from user input, and nodemailer would
// otherwise read "a@x.example, b@y.example" as two recipients.
const SINGLE_ADDRESS = /^[^\s@,;<>()"]+@[^\s@,;<>()"]+$/

/**
 * SMTP through a connection pool (pool: true): a worker sending many messages keeps a few
 * connections open instead of a TCP + TLS handshake per message. Timeouts are far below
 * nodemailer's defaults (2 and 10 minutes), so a hung server fails the attempt and the job retries
 * instead of holding its lock. Options in the URL's query string (e.g. `?tls.rejectUnauthorized=false`)
 * are nodemailer's own and win over these defaults.
 */
export function createSmtpMailer({ url, from, connections = 5 }: { url: string; from: string; connections?: number }): Mailer {
  const configured = new URL(url)
  // maxConnections: one per job in flight (nodemailer's default is 5), so a worker with more
  // concurrency does not queue its sends behind five connections.
  const defaults = {
    pool: 'true',
    maxConnections: String(connections),
    connectionTimeout: '10000',
    greetingTimeout: '10000',
    socketTimeout: '30000',
  }
  for (const [key, value] of Object.entries(defaults)) {
    if (!configured.searchParams.has(key)) configured.searchParams.set(key, value)
  }
  const transport = nodemailer.createTransport(configured.toString())
  let closed = false
  return {
    kind: 'smtp',
    async send(mail) {
      checkRecipient(mail.to)
      try {
        await transport.sendMail({ from, ...mail })
      } catch (error) {
        throw smtpError(error)
      }
    },
    close() {
      if (closed) return
      closed = true
      transport.close()
    },
  }
}

/** Writes each message to the development mailbox in `dir`, read at /dev/mailbox. */
export function createDevMailboxMailer({ dir, from }: { dir: string; from: string }): Mailer {
  return {
    kind: 'dev-mailbox',
    async send(mail) {
      checkRecipient(mail.to)
      await writeMessage(dir, { from, ...mail })
    },
    close() {},
  }
}

/** SMTP when a URL is given; otherwise the development mailbox, which production never uses. */
export function createMailer({
  smtpUrl = env.SMTP_URL,
  from = env.MAIL_FROM,
  mailboxDir = devMailboxDir(),
  connections,
}: { smtpUrl?: string; from?: string; mailboxDir?: string; connections?: number } = {}): Mailer {
  if (smtpUrl) return createSmtpMailer({ url: smtpUrl, from, connections })
  // env.ts already requires SMTP_URL in production; this guards mailers built by hand.
  if (env.NODE_ENV === 'production') throw new Error('SMTP_URL is required in production')
  return createDevMailboxMailer({ dir: mailboxDir, from })
}

const globalForMail = globalThis as unknown as { mailer?: Mailer }

/** Sends one message with the app's configured mailer (SMTP_URL, or the development mailbox). */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  globalForMail.mailer ??= createMailer()
  await globalForMail.mailer.send(mail)
}

function checkRecipient(to: string): void {
  if (!SINGLE_ADDRESS.test(to)) throw new PermanentMailError('the recipient is not a single plain email address')
}

// nodemailer's errors carry the server's reply code: 5xx is final (unknown mailbox, policy, bad
// credentials), 4xx and network errors are worth another attempt.
function smtpError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error))
  const code = (error as { responseCode?: unknown }).responseCode
  if (typeof code === 'number' && code >= 500 && code < 600) {
    return new PermanentMailError(error.message, { cause: error })
  }
  return error
}
