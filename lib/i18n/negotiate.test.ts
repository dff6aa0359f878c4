import { describe, expect, it } from 'vitest'
import { localeFromAcceptLanguage } from './negotiate'

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7', 'ko'],
    ['ko', 'ko'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR,ko;q=0.5', 'ko'],
    ['en;q=0.4,ko;q=0.8', 'ko'],
    ['fr-FR,de;q=0.9', 'en'],
    ['*', 'en'],
    ['', 'en'],
    ['!!!, ;;;q=x', 'en'],
    ['ko-kr', 'ko'],
  ])('%j → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale)
  })

  it('English without a header', () => {
    expect(localeFromAcceptLanguage(null)).toBe('en')
    expect(localeFromAcceptLanguage(undefined)).toBe('en')
  })
})
