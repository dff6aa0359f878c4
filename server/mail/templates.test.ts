import { describe, expect, it } from 'vitest'
import { emailVerifiedEmail, escapeHtml, groupCode, verificationCodeEmail } from './templates'

const XSS = '<img src=x onerror=alert(1)>'
const visibleText = (html: string) => html.replace(/<[^>]*>/g, '')

describe('verificationCodeEmail', () => {
  const email = verificationCodeEmail({ username: 'ada', code: '482915', validMinutes: 3 })

  it('keeps the code out of the subject, which lock screens show', () => {
    expect(email.subject).toBe('Your Todos verification code')
    expect(email.subject).not.toMatch(/\d/)
  })

  it('shows the code grouped in the text part', () => {
    expect(email.text).toContain('    482 915\n')
    expect(email.text).toContain('valid for 3 minutes')
    expect(email.text).toMatch(/^Hi ada,/)
  })

  it('shows the code large, monospaced and grouped in the HTML part, copyable without a space', () => {
    const codeBox = /<p style="([^"]*)">482<span style="padding-left:[^"]+">915<\/span><\/p>/.exec(email.html)
    expect(codeBox?.[1]).toMatch(/font:700 36px\/1\.2 ui-monospace/)
    expect(visibleText(email.html)).toContain('482915')
    expect(email.html).toMatch(/^<!doctype html>/)
  })

  it('says "1 minute" in the singular', () => {
    expect(verificationCodeEmail({ username: 'ada', code: '1', validMinutes: 1 }).text).toContain('valid for 1 minute.')
  })

  it('escapes the username in HTML and leaves the text part literal', () => {
    const hostile = verificationCodeEmail({ username: XSS, code: '482915', validMinutes: 3 })
    expect(hostile.html).not.toContain('<img')
    expect(hostile.html).toContain('Hi &lt;img src=x onerror=alert(1)&gt;,')
    expect(hostile.text).toContain(`Hi ${XSS},`)
  })
})

describe('emailVerifiedEmail', () => {
  it('names the address, escaped in HTML, and carries no code', () => {
    const email = emailVerifiedEmail({ username: XSS, email: `"a<b>"@example.com` })
    expect(email.subject).toBe('Your Todos email address is verified')
    expect(email.text).toContain('"a<b>"@example.com is now the verified email address')
    expect(email.html).toContain('&quot;a&lt;b&gt;&quot;@example.com')
    expect(email.html).not.toMatch(/<img|<b>/)
  })
})

describe('helpers', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;')
  })

  it('groups codes by three', () => {
    expect(groupCode('482915')).toEqual(['482', '915'])
    expect(groupCode('12345678')).toEqual(['123', '456', '78'])
    expect(groupCode('')).toEqual([])
  })
})
