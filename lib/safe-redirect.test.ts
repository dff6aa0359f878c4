import { describe, expect, it } from 'vitest'
import { safeReturnPath, samePagePath } from './safe-redirect'

describe('safeReturnPath', () => {
  it('keeps in-app paths with their query', () => {
    expect(safeReturnPath('/todos?filter=active')).toBe('/todos?filter=active')
    expect(safeReturnPath('/account')).toBe('/account')
  })

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
    'todos',
    '',
    undefined,
    ['/todos'],
    '/login',
    '/signup?callbackUrl=/x',
    '/forgot-password',
    '/reset-password?token=abc',
  ])('falls back for %j', (candidate) => {
    expect(safeReturnPath(candidate)).toBe('/todos')
  })
})

describe('samePagePath', () => {
  it('keeps same-origin paths, the log-in and sign-up pages included', () => {
    expect(samePagePath('/login?callbackUrl=%2Faccount')).toBe('/login?callbackUrl=%2Faccount')
    expect(samePagePath('/signup')).toBe('/signup')
    expect(samePagePath('/todos?filter=active&page=2')).toBe('/todos?filter=active&page=2')
  })

  it.each(['https://evil.example/', '//evil.example', '/\\evil.example', '/\n/evil.example', 'todos', '', null])(
    'falls back for %j',
    (candidate) => {
      expect(samePagePath(candidate)).toBe('/')
    },
  )
})
