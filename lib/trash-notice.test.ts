import { describe, expect, it } from 'vitest'
import { MAX_NOTICE_IDS, parseDeletedIds, withDeletedIds, withoutDeletedIds } from './trash-notice'

describe('the undo notice in the URL', () => {
  it('reads positive ids, once each, and nothing from anything else', () => {
    expect(parseDeletedIds('3,1,3')).toEqual([3, 1])
    for (const bad of [undefined, ['1'], '', '0', '-1', '1,,2', '1.5', 'x', '99999999999', '1;2']) {
      expect(parseDeletedIds(bad), String(bad)).toEqual([])
    }
    const many = Array.from({ length: MAX_NOTICE_IDS + 5 }, (_, i) => i + 1).join(',')
    expect(parseDeletedIds(many)).toHaveLength(MAX_NOTICE_IDS)
  })

  it('keeps the filter, view and page, and replaces an earlier notice', () => {
    expect(withDeletedIds('/todos?view=today&page=2', [7])).toBe('/todos?view=today&page=2&deleted=7')
    expect(withDeletedIds('/todos?deleted=1&filter=active', [2, 3])).toBe('/todos?filter=active&deleted=2%2C3')
    expect(withoutDeletedIds('/todos?filter=active&deleted=2')).toBe('/todos?filter=active')
  })

  it('never leaves the site', () => {
    expect(withDeletedIds('//evil.example/x', [1])).toBe('/todos?deleted=1')
    expect(withDeletedIds('https://evil.example/', [1])).toBe('/todos?deleted=1')
    expect(withoutDeletedIds(null)).toBe('/todos')
  })
})
