import { describe, expect, it } from 'vitest'
import { NewTodoSchema, PageNumberSchema, TodoContentsSchema, TodoFilterSchema, TodoIdSchema, TodoPatchSchema, todoFilterOf } from './todo'

describe('TodoContentsSchema', () => {
  it('trims the text', () => {
    expect(TodoContentsSchema.parse('  buy milk \n')).toBe('buy milk')
  })

  it('refuses empty and blank text', () => {
    for (const text of ['', '   ', '\n\t']) {
      expect(TodoContentsSchema.safeParse(text).error?.issues[0]?.message).toBe('validation.todo.empty')
    }
  })

  it('fits 256 characters, Korean and emoji included, and refuses 257', () => {
    expect(TodoContentsSchema.safeParse('가'.repeat(256)).success).toBe(true)
    expect(TodoContentsSchema.safeParse('😀'.repeat(256)).success).toBe(true)
    expect(TodoContentsSchema.safeParse('a'.repeat(257)).error?.issues[0]?.message).toBe('validation.todo.tooLong')
  })

  it('stores the NFC form: a decomposed é is one code point, and counts as one', () => {
    expect(TodoContentsSchema.parse('cafe\u0301')).toBe('caf\u00e9')
    expect(TodoContentsSchema.parse('\u1100\u1161\u11a8 사기')).toBe('각 사기') // conjoining jamo → syllable
    expect(TodoContentsSchema.safeParse('e\u0301'.repeat(256)).success).toBe(true) // 512 code points typed, 256 stored
  })

  it('keeps every script and emoji, ZWJ sequences and flags included', () => {
    for (const text of ['우유 사기', 'Купить молоко', 'شراء الحليب', '牛乳を買う', '👩‍👩‍👧 🇰🇷 👍🏽', 'ἀρχή']) {
      expect(TodoContentsSchema.parse(text)).toBe(text.normalize('NFC'))
    }
  })

  it.each([
    ['NUL', 'milk\u0000'],
    ['a tab inside', 'buy\tmilk'],
    ['a line feed inside', 'buy\nmilk'],
    ['escape', '\u001b[31mred'],
    ['DEL', 'milk\u007f'],
    ['a C1 control', 'milk\u0085now'],
    ['U+009F', 'milk\u009f'],
  ])('refuses control characters: %s', (_what, text) => {
    expect(TodoContentsSchema.safeParse(text).error?.issues.map((issue) => issue.message)).toEqual([
      'validation.todo.controlCharacters',
    ])
  })

  it('trims tabs and line feeds around the text like spaces, and keeps U+00A0 and U+2028 inside', () => {
    expect(TodoContentsSchema.parse('\t buy milk\n')).toBe('buy milk')
    expect(TodoContentsSchema.parse('buy\u00a0milk\u2028now')).toBe('buy\u00a0milk\u2028now')
  })

  it('keeps quotes, backslashes and markup exactly', () => {
    const text = `<script>alert("x")</script> '; DROP TABLE todo; -- \\`
    expect(TodoContentsSchema.parse(text)).toBe(text)
  })
})

describe('NewTodoSchema and TodoPatchSchema', () => {
  it('defaults isDone to false and refuses non-booleans', () => {
    expect(NewTodoSchema.parse({ contents: 'x' })).toEqual({ contents: 'x', isDone: false })
    expect(NewTodoSchema.safeParse({ contents: 'x', isDone: 'yes' }).success).toBe(false)
  })

  it('needs at least one field in a patch', () => {
    expect(TodoPatchSchema.safeParse({}).error?.issues[0]?.message).toBe('validation.todoPatch.empty')
    expect(TodoPatchSchema.parse({ isDone: true })).toEqual({ isDone: true })
  })
})

describe('query-string parsing', () => {
  it('falls back to "all" for unknown filters', () => {
    expect(TodoFilterSchema.parse('active')).toBe('active')
    expect(TodoFilterSchema.parse('bogus')).toBe('all')
    expect(TodoFilterSchema.parse(['active', 'x'])).toBe('all')
    expect(TodoFilterSchema.parse(undefined)).toBe('all')
  })

  it('reads the Today and Upcoming views from ?view=, the others from ?filter=', () => {
    expect(todoFilterOf({ view: 'today' })).toBe('today')
    expect(todoFilterOf({ view: 'upcoming', filter: 'completed' })).toBe('upcoming')
    expect(todoFilterOf({ view: 'active', filter: 'completed' })).toBe('completed') // view= holds only the due views
    expect(todoFilterOf({ filter: 'active' })).toBe('active')
    expect(todoFilterOf({ view: ['today', 'x'] })).toBe('all')
    expect(todoFilterOf({})).toBe('all')
  })

  it('falls back to page 1 for nonsense pages', () => {
    expect(PageNumberSchema.parse('3')).toBe(3)
    for (const page of ['0', '-1', '1.5', 'abc', undefined, '99999999999']) expect(PageNumberSchema.parse(page)).toBe(1)
  })

  it('accepts only positive 32-bit ids', () => {
    expect(TodoIdSchema.parse('42')).toBe(42)
    for (const id of ['', '0', '-3', '1e3x', '2147483648', 'abc']) expect(TodoIdSchema.safeParse(id).success).toBe(false)
  })
})
