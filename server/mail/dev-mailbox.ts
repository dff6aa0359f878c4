import 'server-only'
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { env } from '../env'

/**
 * The development mailbox: without SMTP_URL, mail is written here as one JSON file per message and
 * read at /dev/mailbox (like Rails' letter_opener). Message ids are generated here and checked
 * against one strict pattern before any file is opened, so no id can name a path outside the folder.
 */

/** Mail goes to the development mailbox only outside production and without an SMTP server. */
export function devMailboxEnabled(): boolean {
  return env.NODE_ENV !== 'production' && env.SMTP_URL === undefined
}

/** DEV_MAILBOX_DIR, relative to the directory the app or worker was started from. */
export function devMailboxDir(): string {
  return path.resolve(env.DEV_MAILBOX_DIR)
}

export type StoredMessage = {
  id: string
  /** ISO 8601, when the message was written. */
  date: string
  from: string
  to: string
  subject: string
  text: string
  html: string
  messageId?: string
}

export type MessageSummary = Pick<StoredMessage, 'id' | 'date' | 'to' | 'subject'>

// Milliseconds since the epoch (13 digits until the year 2286) then random hex: ids sort by time.
const MESSAGE_ID = /^\d{13}-[0-9a-f]{12}$/
const FILE_NAME = /^(\d{13}-[0-9a-f]{12})\.json$/

export function isMessageId(id: string): boolean {
  return MESSAGE_ID.test(id)
}

/** Stores one message and returns its id. */
export async function writeMessage(dir: string, message: Omit<StoredMessage, 'id' | 'date'>): Promise<string> {
  const now = Date.now()
  const id = `${String(now).padStart(13, '0')}-${randomBytes(6).toString('hex')}`
  const stored: StoredMessage = { id, date: new Date(now).toISOString(), ...message }
  await mkdir(dir, { recursive: true, mode: 0o700 })
  // Write then rename, so a page listing the folder meanwhile never reads half a message.
  const file = path.join(dir, `${id}.json`)
  await writeFile(`${file}.tmp`, JSON.stringify(stored, null, 2), { mode: 0o600 })
  await rename(`${file}.tmp`, file)
  return id
}

/** Summaries of the newest messages first (a missing folder is an empty mailbox). */
export async function listMessages(dir: string, limit = 100): Promise<MessageSummary[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  const ids = names
    .map((name) => FILE_NAME.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .sort()
    .reverse()
    .slice(0, limit)
  const messages = await Promise.all(ids.map((id) => readMessage(dir, id)))
  return messages
    .filter((message): message is StoredMessage => message !== null)
    .map(({ id, date, to, subject }) => ({ id, date, to, subject }))
}

/** One message, or null for an unknown, unreadable or malformed id (never a path). */
export async function readMessage(dir: string, id: string): Promise<StoredMessage | null> {
  if (!isMessageId(id)) return null
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8'))
    return isStoredMessage(parsed) && parsed.id === id ? parsed : null
  } catch {
    return null
  }
}

function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return ['id', 'date', 'from', 'to', 'subject', 'text', 'html'].every((key) => typeof record[key] === 'string')
}
