import { describe, expect, it } from 'vitest'
import { LOCALES } from '@/lib/i18n/preferences'
import { emailVerifiedEmail, escapeHtml, groupCode, verificationCodeEmail } from './templates'

const XSS = '<img src=x onerror=alert(1)>'
const visibleText = (html: string) => html.replace(/<[^>]*>/g, '')

describe('verificationCodeEmail', () => {
  const email = verificationCodeEmail({ locale: 'en', username: 'ada', code: '482915', validMinutes: 3 })
  const korean = verificationCodeEmail({ locale: 'ko', username: '지민', code: '482915', validMinutes: 3 })

  it('keeps the code out of the subject, which lock screens show, in every language', () => {
    expect(email.subject).toBe('Your Todos verification code')
    expect(korean.subject).toBe('Todos 인증 코드')
    for (const locale of LOCALES) {
      const { subject } = verificationCodeEmail({ locale, username: 'ada', code: '482915', validMinutes: 3 })
      expect(subject).not.toMatch(/\d/)
    }
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
    expect(email.html).toMatch(/^<!doctype html>\n<html lang="en">/)
  })

  it('says "1 minute" in the singular', () => {
    const once = verificationCodeEmail({ locale: 'en', username: 'ada', code: '1', validMinutes: 1 })
    expect(once.text).toContain('valid for 1 minute.')
  })

  it('is written in Korean for a Korean reader, code and all', () => {
    expect(korean.html).toMatch(/^<!doctype html>\n<html lang="ko">/)
    expect(korean.html).toContain('<title>Todos 인증 코드</title>')
    expect(korean.text).toMatch(/^지민님, 안녕하세요\./)
    expect(korean.text).toContain('    482 915\n')
    expect(korean.text).toContain('3분 동안 유효합니다')
    expect(visibleText(korean.html)).toContain('482915')
    expect(visibleText(korean.html)).toContain('3분 동안 유효합니다')
    expect(korean.text).not.toMatch(/verification code|minutes?\b/)
  })

  it('escapes the username in HTML and leaves the text part literal, in both languages', () => {
    const hostile = verificationCodeEmail({ locale: 'en', username: XSS, code: '482915', validMinutes: 3 })
    expect(hostile.html).not.toContain('<img')
    expect(hostile.html).toContain('Hi &lt;img src=x onerror=alert(1)&gt;,')
    expect(hostile.text).toContain(`Hi ${XSS},`)
    const hostileKorean = verificationCodeEmail({ locale: 'ko', username: XSS, code: '482915', validMinutes: 3 })
    expect(hostileKorean.html).not.toContain('<img')
    expect(hostileKorean.html).toContain('&lt;img src=x onerror=alert(1)&gt;님, 안녕하세요.')
    expect(hostileKorean.text).toContain(`${XSS}님, 안녕하세요.`)
  })
})

describe('emailVerifiedEmail', () => {
  it('names the address, escaped in HTML, and carries no code', () => {
    const email = emailVerifiedEmail({ locale: 'en', username: XSS, email: `"a<b>"@example.com` })
    expect(email.subject).toBe('Your Todos email address is verified')
    expect(email.text).toContain('"a<b>"@example.com is now the verified email address')
    expect(email.html).toContain('<strong style="overflow-wrap:anywhere">&quot;a&lt;b&gt;&quot;@example.com</strong>')
    expect(email.html).not.toMatch(/<img|<b>/)
    expect(email.html).toMatch(/<html lang="en">/)
  })

  it('is written in Korean for a Korean reader, the address escaped', () => {
    const email = emailVerifiedEmail({ locale: 'ko', username: XSS, email: `"a<b>"@example.com` })
    expect(email.subject).toBe('Todos 이메일 주소가 인증되었습니다')
    expect(email.text).toContain('이제 "a<b>"@example.com 주소가 Todos 계정의 인증된 이메일 주소입니다.')
    expect(email.html).toContain('&quot;a&lt;b&gt;&quot;@example.com</strong> 주소가')
    expect(email.html).not.toMatch(/<img|<b>/)
    expect(email.html).toMatch(/<html lang="ko">/)
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
