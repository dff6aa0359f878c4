import 'server-only'
// use-intl is next-intl's core, without React: next-intl's own entry point, under the react-server
// condition the worker runs with (scripts/worker.ts), imports React hooks that plain Node lacks.
import { createTranslator } from 'use-intl/core'
import type { Locale } from '@/lib/i18n/preferences'
import { MESSAGES } from '../i18n/messages'

export type RenderedEmail = { subject: string; text: string; html: string }

/** Usernames and addresses are user input: everything interpolated into HTML goes through this. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char as keyof typeof HTML_ENTITIES])
}

const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as const

/** "123456" → ["123", "456"]: short groups are easier to read and to type from a phone. */
export function groupCode(code: string): string[] {
  return code.match(/.{1,3}/gu) ?? []
}

/**
 * The `email` messages in one language. Emails render in the worker, outside any request, so the
 * language comes from the job, never from next-intl's request config. `markup` returns strings and
 * escapes nothing: the HTML parts pass their values through escapeHtml first.
 */
function emailTranslator(locale: Locale) {
  return createTranslator({ locale, messages: MESSAGES[locale], namespace: 'email' })
}

/**
 * The email with a one-time verification code, in the recipient's language. The code stays out of
 * the subject, which lock screens and notification previews show to anyone near the phone.
 */
export function verificationCodeEmail({
  locale,
  username,
  code,
  validMinutes,
}: {
  locale: Locale
  username: string
  code: string
  validMinutes: number
}): RenderedEmail {
  const t = emailTranslator(locale)
  const subject = t('verificationCode.subject')
  const groups = groupCode(code)
  const instructions = t('verificationCode.instructions', { minutes: validMinutes })
  const notYou = t('verificationCode.notYou')
  const text = [
    t('greeting', { username }),
    '',
    t('verificationCode.intro'),
    '',
    `    ${groups.join(' ')}`,
    '',
    instructions,
    '',
    notYou,
    '',
    t('signature'),
  ].join('\n')

  // The groups are separated by padding, not a space, so copying the code gives "123456".
  const codeHtml = groups
    .map((group, index) => (index === 0 ? escapeHtml(group) : `<span style="${GROUP_GAP}">${escapeHtml(group)}</span>`))
    .join('')
  const html = layout(
    locale,
    subject,
    `
    <p style="margin:0 0 16px">${escapeHtml(t('greeting', { username }))}</p>
    <p style="margin:0 0 8px">${escapeHtml(t('verificationCode.intro'))}</p>
    <p style="${CODE_BOX}">${codeHtml}</p>
    <p style="margin:0 0 16px">${escapeHtml(instructions)}</p>
    <p style="${SMALL_PRINT}">${escapeHtml(notYou)}</p>`,
  )
  return { subject, text, html }
}

/** Sent once an address is verified, so its owner notices if someone else did it. */
export function emailVerifiedEmail({
  locale,
  username,
  email,
}: {
  locale: Locale
  username: string
  email: string
}): RenderedEmail {
  const t = emailTranslator(locale)
  const subject = t('emailVerified.subject')
  const notYou = t('emailVerified.notYou')
  const text = [
    t('greeting', { username }),
    '',
    t.markup('emailVerified.body', { email, address: (chunks) => chunks }),
    '',
    notYou,
    '',
    t('signature'),
  ].join('\n')
  // The message's own words are ours; only the address is user input, escaped before it goes in.
  const body = t.markup('emailVerified.body', {
    email: escapeHtml(email),
    address: (chunks) => `<strong style="overflow-wrap:anywhere">${chunks}</strong>`,
  })
  const html = layout(
    locale,
    subject,
    `
    <p style="margin:0 0 16px">${escapeHtml(t('greeting', { username }))}</p>
    <p style="margin:0 0 16px">${body}</p>
    <p style="${SMALL_PRINT}">${escapeHtml(notYou)}</p>`,
  )
  return { subject, text, html }
}

// Inline styles only: many mail clients drop <style> blocks and ignore CSS variables. The colours are
// app/globals.css's light theme.
const MONOSPACE = "ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace"
const CODE_BOX = [
  'margin:0 0 20px',
  'padding:16px 12px',
  'border-radius:6px',
  'background:#f1f3f6',
  'color:#1c1f26',
  'text-align:center',
  `font:700 36px/1.2 ${MONOSPACE}`,
  'letter-spacing:0.06em',
].join(';')
const GROUP_GAP = 'padding-left:0.45em'
const SMALL_PRINT = 'margin:0;color:#5d6473;font-size:14px'
const BODY = [
  'margin:0',
  'padding:24px 12px',
  'background:#f6f7f9',
  'color:#1c1f26',
  "font-family:ui-sans-serif,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif",
  'font-size:16px',
  'line-height:1.5',
  // Korean wraps between words, as Korean text is set, not between any two syllables ("3" / "분").
  'word-break:keep-all',
  'overflow-wrap:break-word',
].join(';')
const CARD = [
  'max-width:480px',
  'margin:0 auto',
  'padding:28px 24px',
  'border:1px solid #dde1e7',
  'border-radius:10px',
  'background:#ffffff',
].join(';')
const BRAND = 'margin:0 0 20px;font-size:20px;font-weight:700;letter-spacing:-0.02em;color:#4338ca'

function layout(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
</head>
<body style="${BODY}">
  <div style="${CARD}">
    <p style="${BRAND}">todos</p>${body}
  </div>
</body>
</html>
`
}

/** A due time as the reader reads it: their language, their zone, 24-hour (Node's ICU says "PM" in Korean). */
export function formatDue(locale: Locale, timeZone: string, due: Date, style: 'long' | 'short' = 'long'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZoneName: 'short' }
      : { weekday: 'short', month: 'short', day: 'numeric' }
  return new Intl.DateTimeFormat(locale, { ...options, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    due,
  )
}

/**
 * The reminder of one todo, in its owner's language and zone. The subject names no todo: lock
 * screens show subjects to anyone near the phone, and a todo's text is the owner's business.
 */
export function reminderEmail({
  locale,
  username,
  contents,
  dueAt,
  timeZone,
  listUrl,
}: {
  locale: Locale
  username: string
  contents: string
  dueAt: Date | null
  timeZone: string
  listUrl: string
}): RenderedEmail {
  const t = emailTranslator(locale)
  const subject = t('reminder.subject')
  const due = dueAt ? t('reminder.due', { due: formatDue(locale, timeZone, dueAt) }) : t('reminder.noDue')
  const open = t('reminder.open')
  const text = [
    t('greeting', { username }),
    '',
    t('reminder.intro'),
    '',
    `    ${contents}`,
    `    ${due}`,
    '',
    `${open}: ${listUrl}`,
    '',
    t('reminder.why'),
    '',
    t('signature'),
  ].join('\n')
  const html = layout(
    locale,
    subject,
    `
    <p style="margin:0 0 16px">${escapeHtml(t('greeting', { username }))}</p>
    <p style="margin:0 0 8px">${escapeHtml(t('reminder.intro'))}</p>
    <div style="${TODO_BOX}">
      <p style="margin:0;font-weight:600;overflow-wrap:anywhere">${escapeHtml(contents)}</p>
      <p style="margin:4px 0 0;color:#5d6473">${escapeHtml(due)}</p>
    </div>
    <p style="margin:0 0 20px"><a href="${escapeHtml(listUrl)}" style="${BUTTON}">${escapeHtml(open)}</a></p>
    <p style="${SMALL_PRINT}">${escapeHtml(t('reminder.why'))}</p>`,
  )
  return { subject, text, html }
}

export type SummaryItem = { contents: string; dueAt: Date; overdue: boolean }

/** The morning summary: what is due today and overdue, overdue first, at most `items` listed of `total`. */
export function summaryEmail({
  locale,
  username,
  items,
  total,
  timeZone,
  listUrl,
}: {
  locale: Locale
  username: string
  items: SummaryItem[]
  total: number
  timeZone: string
  listUrl: string
}): RenderedEmail {
  const t = emailTranslator(locale)
  const subject = t('summary.subject')
  const overdue = t('summary.overdue')
  const today = t('summary.today')
  const open = t('summary.open')
  const label = (item: SummaryItem) => `${item.overdue ? overdue : today} · ${formatDue(locale, timeZone, item.dueAt, 'short')}`
  const more = total > items.length ? t('summary.more', { count: total - items.length }) : null
  const text = [
    t('greeting', { username }),
    '',
    t('summary.intro', { count: total }),
    '',
    ...items.map((item) => `  - ${item.contents} (${label(item)})`),
    ...(more ? [`  ${more}`] : []),
    '',
    `${open}: ${listUrl}`,
    '',
    t('summary.why'),
    '',
    t('signature'),
  ].join('\n')
  const rows = items
    .map(
      (item) => `
      <li style="margin:0 0 8px">
        <span style="font-weight:600;overflow-wrap:anywhere">${escapeHtml(item.contents)}</span><br>
        <span style="color:${item.overdue ? '#b42318' : '#5d6473'};font-size:14px">${escapeHtml(label(item))}</span>
      </li>`,
    )
    .join('')
  const html = layout(
    locale,
    subject,
    `
    <p style="margin:0 0 16px">${escapeHtml(t('greeting', { username }))}</p>
    <p style="margin:0 0 8px">${escapeHtml(t('summary.intro', { count: total }))}</p>
    <ul style="margin:0 0 16px;padding-left:20px">${rows}
    </ul>${more ? `\n    <p style="margin:0 0 16px;color:#5d6473">${escapeHtml(more)}</p>` : ''}
    <p style="margin:0 0 20px"><a href="${escapeHtml(listUrl)}" style="${BUTTON}">${escapeHtml(open)}</a></p>
    <p style="${SMALL_PRINT}">${escapeHtml(t('summary.why'))}</p>`,
  )
  return { subject, text, html }
}

const TODO_BOX = 'margin:0 0 20px;padding:12px 14px;border-radius:6px;background:#f1f3f6;border-left:4px solid #4338ca'
const BUTTON =
  'display:inline-block;padding:10px 16px;border-radius:6px;background:#4338ca;color:#ffffff;text-decoration:none;font-weight:600'

/**
 * The password-reset link, in the account owner's language. The link is the secret: it is in the
 * body only (never the subject, which lock screens show). The username is named because it is
 * what one logs in with, and someone who forgot a password may have forgotten that too.
 */
export function passwordResetEmail({
  locale,
  username,
  link,
  validMinutes,
}: {
  locale: Locale
  username: string
  link: string
  validMinutes: number
}): RenderedEmail {
  const t = emailTranslator(locale)
  const subject = t('passwordReset.subject')
  const open = t('passwordReset.open')
  const validity = t('passwordReset.validity', { minutes: validMinutes })
  const notYou = t('passwordReset.notYou')
  const linkText = t('passwordReset.linkText')
  const text = [
    t('greeting', { username }),
    '',
    t('passwordReset.intro'),
    t.markup('passwordReset.username', { username, name: (chunks) => chunks }),
    '',
    `${open}:`,
    link,
    '',
    validity,
    '',
    notYou,
    '',
    t('signature'),
  ].join('\n')
  const usernameHtml = t.markup('passwordReset.username', {
    username: escapeHtml(username),
    name: (chunks) => `<strong style="overflow-wrap:anywhere">${chunks}</strong>`,
  })
  const html = layout(
    locale,
    subject,
    `
    <p style="margin:0 0 16px">${escapeHtml(t('greeting', { username }))}</p>
    <p style="margin:0 0 8px">${escapeHtml(t('passwordReset.intro'))}</p>
    <p style="margin:0 0 20px">${usernameHtml}</p>
    <p style="margin:0 0 20px"><a href="${escapeHtml(link)}" style="${BUTTON}">${escapeHtml(open)}</a></p>
    <p style="margin:0 0 16px">${escapeHtml(validity)}</p>
    <p style="${LINK_PRINT}">${escapeHtml(linkText)}<br><span style="overflow-wrap:anywhere">${escapeHtml(link)}</span></p>
    <p style="${SMALL_PRINT}">${escapeHtml(notYou)}</p>`,
  )
  return { subject, text, html }
}

/**
 * Sent after a reset changed the password, so the owner notices one they did not make; it points
 * to the way back in (another reset, which ends the intruder's sessions in turn).
 */
export function passwordChangedEmail({
  locale,
  username,
  resetUrl,
}: {
  locale: Locale
  username: string
  resetUrl: string
}): RenderedEmail {
  const t = emailTranslator(locale)
  const subject = t('passwordChanged.subject')
  const notYou = t('passwordChanged.notYou')
  const again = t('passwordChanged.resetAgain')
  const text = [
    t('greeting', { username }),
    '',
    t('passwordChanged.body'),
    '',
    notYou,
    `${again}: ${resetUrl}`,
    '',
    t('signature'),
  ].join('\n')
  const html = layout(
    locale,
    subject,
    `
    <p style="margin:0 0 16px">${escapeHtml(t('greeting', { username }))}</p>
    <p style="margin:0 0 16px">${escapeHtml(t('passwordChanged.body'))}</p>
    <p style="margin:0 0 16px">${escapeHtml(notYou)}</p>
    <p style="margin:0"><a href="${escapeHtml(resetUrl)}" style="${BUTTON}">${escapeHtml(again)}</a></p>`,
  )
  return { subject, text, html }
}

// The link written out, for mail clients that show no buttons: small, and broken anywhere to fit.
const LINK_PRINT = 'margin:0 0 16px;color:#5d6473;font-size:14px'
