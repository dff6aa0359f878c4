import { describe, expect, it } from 'vitest'
import { LOCALES } from '@/lib/i18n/preferences'
import { reminderEmail, summaryEmail } from './templates'

const XSS = '<img src=x onerror=alert(1)>'
const due = new Date('2026-12-24T09:00:00Z')
const base = { username: 'ada', dueAt: due, timeZone: 'Asia/Seoul', listUrl: 'https://todos.example/todos' }

describe('reminderEmail', () => {
  it('shows the todo, its due time in the owner zone and a link, in text and HTML', () => {
    const email = reminderEmail({ ...base, locale: 'en', contents: 'Call the bank' })
    expect(email.subject).toBe('Reminder from Todos')
    expect(email.text).toContain('    Call the bank\n')
    expect(email.text).toContain('Due Thursday, December 24, 2026 at 18:00 GMT+9')
    expect(email.text).toContain('Open your list: https://todos.example/todos')
    expect(email.html).toMatch(/^<!doctype html>\n<html lang="en">/)
    expect(email.html).toContain('href="https://todos.example/todos"')
  })

  it('is written in Korean for a Korean reader', () => {
    const email = reminderEmail({ ...base, locale: 'ko', contents: '은행에 전화하기' })
    expect(email.subject).toBe('Todos 알림')
    expect(email.html).toContain('<html lang="ko">')
    expect(email.text).toContain('마감: 2026년 12월 24일 목요일 18:00 GMT+9')
    expect(email.text).toContain('목록 열기: https://todos.example/todos')
  })

  it('says when there is no due date', () => {
    expect(reminderEmail({ ...base, dueAt: null, locale: 'en', contents: 'x' }).text).toContain('No due date')
  })

  it('escapes the todo in HTML, keeps it literal in text, and keeps it out of the subject', () => {
    for (const locale of LOCALES) {
      const email = reminderEmail({ ...base, locale, contents: XSS, username: XSS })
      expect(email.html).not.toContain('<img')
      expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;')
      expect(email.text).toContain(XSS)
      expect(email.subject).not.toContain('img')
    }
  })
})

describe('summaryEmail', () => {
  const items = [
    { contents: XSS, dueAt: new Date('2026-12-23T09:00:00Z'), overdue: true },
    { contents: 'Buy milk', dueAt: due, overdue: false },
  ]

  it('lists overdue and today items, counts them, escapes them', () => {
    const email = summaryEmail({ ...base, locale: 'en', items, total: 2 })
    expect(email.subject).toBe('Your Todos for today')
    expect(email.text).toContain('2 todos are due today or overdue:')
    expect(email.text).toContain('  - Buy milk (Today · Thu, Dec 24, 18:00)')
    expect(email.text).toContain(`  - ${XSS} (Overdue · Wed, Dec 23, 18:00)`)
    expect(email.html).not.toContain('<img')
    expect(email.html).toContain('&lt;img')
    expect(email.html).toMatch(/<html lang="en">/)
  })

  it('says how many more there are beyond the list, in Korean too', () => {
    const email = summaryEmail({ ...base, locale: 'ko', items: items.slice(1), total: 3 })
    expect(email.subject).toBe('오늘의 Todos')
    expect(email.text).toContain('오늘까지 해야 하거나 기한이 지난 할 일이 3개 있습니다:')
    expect(email.text).toContain('  - Buy milk (오늘 · 12월 24일 (목) 18:00)')
    expect(email.text).toContain('외 2개')
    expect(email.html).toMatch(/<html lang="ko">/)
    expect(summaryEmail({ ...base, locale: 'en', items: [items[1]!], total: 1 }).text).toContain('1 todo is due today')
  })
})
