import { describe, expect, it } from 'vitest'
import { LOCALES } from '@/lib/i18n/preferences'
import {
  emailVerifiedEmail,
  escapeHtml,
  groupCode,
  passwordChangedEmail,
  passwordResetEmail,
  verificationCodeEmail,
} from './templates'

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

describe('passwordResetEmail', () => {
  const link = 'https://todos.example/reset-password?token=k3Jd0sQm5cVx2yBnLp8tRw1eZa7uHf4gOi6jMvNqXbY'
  const email = passwordResetEmail({ locale: 'en', username: 'ada', link, validMinutes: 30 })
  const korean = passwordResetEmail({ locale: 'ko', username: '지민', link, validMinutes: 30 })

  it('keeps the link out of the subject, in every language', () => {
    expect(email.subject).toBe('Reset your Todos password')
    expect(korean.subject).toBe('Todos 비밀번호 재설정')
    for (const locale of LOCALES) {
      const { subject } = passwordResetEmail({ locale, username: 'ada', link, validMinutes: 30 })
      expect(subject).not.toContain('token')
    }
  })

  it('gives the link on its own line, the username, and how long it works', () => {
    expect(email.text).toMatch(/^Hi ada,/)
    expect(email.text).toContain(`Choose a new password:\n${link}\n`)
    expect(email.text).toContain('Your username is ada.')
    expect(email.text).toContain('for 30 minutes')
    expect(email.html).toContain(`<a href="${link}"`)
    expect(visibleText(email.html)).toContain(link) // written out too, for clients without buttons
  })

  it('is written in Korean for a Korean reader', () => {
    expect(korean.html).toMatch(/^<!doctype html>\n<html lang="ko">/)
    expect(korean.text).toMatch(/^지민님, 안녕하세요\./)
    expect(korean.text).toContain('사용자 이름은 지민입니다.')
    expect(korean.text).toContain('30분 동안 한 번만')
    expect(korean.text).toContain(link)
    expect(korean.text.replace(link, '')).not.toMatch(/minutes?\b|password/)
  })

  it('escapes the username in HTML and leaves the text part literal', () => {
    const hostile = passwordResetEmail({ locale: 'en', username: XSS, link, validMinutes: 30 })
    expect(hostile.html).not.toContain('<img')
    expect(hostile.html).toContain('<strong style="overflow-wrap:anywhere">&lt;img src=x onerror=alert(1)&gt;</strong>')
    expect(hostile.text).toContain(`Your username is ${XSS}.`)
  })

  it('says "1 minute" in the singular', () => {
    expect(passwordResetEmail({ locale: 'en', username: 'ada', link, validMinutes: 1 }).text).toContain('for 1 minute;')
  })
})

describe('passwordChangedEmail', () => {
  const resetUrl = 'https://todos.example/forgot-password'

  it('says what happened and how to get back in, without any secret', () => {
    const email = passwordChangedEmail({ locale: 'en', username: 'ada', resetUrl })
    expect(email.subject).toBe('Your Todos password was changed')
    expect(email.text).toContain('every device signed in to it was logged out')
    expect(email.text).toContain(`Reset your password: ${resetUrl}`)
    expect(email.html).toContain(`<a href="${resetUrl}"`)
    expect(email.text).not.toContain('token')
  })

  it('is written in Korean for a Korean reader, the username escaped', () => {
    const email = passwordChangedEmail({ locale: 'ko', username: XSS, resetUrl })
    expect(email.subject).toBe('Todos 비밀번호가 변경되었습니다')
    expect(email.text).toContain('모든 기기에서 로그아웃되었습니다')
    expect(email.html).toMatch(/<html lang="ko">/)
    expect(email.html).not.toContain('<img')
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
