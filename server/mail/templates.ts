import 'server-only'

export type RenderedEmail = { subject: string; text: string; html: string }

const PRODUCT = 'Todos'

/** Usernames and addresses are user input: everything interpolated into HTML goes through this. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char as keyof typeof HTML_ENTITIES])
}

const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as const

/** "123456" → ["123", "456"]: short groups are easier to read and to type from a phone. */
export function groupCode(code: string): string[] {
  return code.match(/.{1,3}/gu) ?? []
}

const minutes = (count: number) => (count === 1 ? '1 minute' : `${count} minutes`)

/**
 * The email with a one-time verification code. The code stays out of the subject, which lock
 * screens and notification previews show to anyone near the phone.
 */
export function verificationCodeEmail({
  username,
  code,
  validMinutes,
}: {
  username: string
  code: string
  validMinutes: number
}): RenderedEmail {
  const subject = `Your ${PRODUCT} verification code`
  const groups = groupCode(code)
  const text = [
    `Hi ${username},`,
    '',
    `Your ${PRODUCT} verification code is:`,
    '',
    `    ${groups.join(' ')}`,
    '',
    `Enter it on your account page to verify your email address. It is valid for ${minutes(validMinutes)}.`,
    '',
    'If you did not ask for a code, ignore this email: your address stays unverified. ' +
      `Never share the code; ${PRODUCT} will never ask you for it.`,
    '',
    `— ${PRODUCT}`,
  ].join('\n')

  // The groups are separated by padding, not a space, so copying the code gives "123456".
  const codeHtml = groups
    .map((group, index) => (index === 0 ? escapeHtml(group) : `<span style="${GROUP_GAP}">${escapeHtml(group)}</span>`))
    .join('')
  const html = layout(
    subject,
    `
    <p style="margin:0 0 16px">Hi ${escapeHtml(username)},</p>
    <p style="margin:0 0 8px">Your ${PRODUCT} verification code is:</p>
    <p style="${CODE_BOX}">${codeHtml}</p>
    <p style="margin:0 0 16px">Enter it on your account page to verify your email address.
      It is valid for ${minutes(validMinutes)}.</p>
    <p style="${SMALL_PRINT}">If you did not ask for a code, ignore this email: your address stays unverified.
      Never share the code; ${PRODUCT} will never ask you for it.</p>`,
  )
  return { subject, text, html }
}

/** Sent once an address is verified, so its owner notices if someone else did it. */
export function emailVerifiedEmail({ username, email }: { username: string; email: string }): RenderedEmail {
  const subject = `Your ${PRODUCT} email address is verified`
  const text = [
    `Hi ${username},`,
    '',
    `${email} is now the verified email address of your ${PRODUCT} account.`,
    '',
    'If you did not verify it, someone else may be using your account: log in and check your account page.',
    '',
    `— ${PRODUCT}`,
  ].join('\n')
  const html = layout(
    subject,
    `
    <p style="margin:0 0 16px">Hi ${escapeHtml(username)},</p>
    <p style="margin:0 0 16px"><strong style="overflow-wrap:anywhere">${escapeHtml(email)}</strong>
      is now the verified email address of your ${PRODUCT} account.</p>
    <p style="${SMALL_PRINT}">If you did not verify it, someone else may be using your account:
      log in and check your account page.</p>`,
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

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
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
