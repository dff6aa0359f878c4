import { describe, expect, it } from 'vitest'
import { safeReturnPath } from './safe-redirect'

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
  ])('falls back for %j', (candidate) => {
    expect(safeReturnPath(candidate)).toBe('/todos')
  })
})
