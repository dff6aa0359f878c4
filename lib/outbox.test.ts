import { describe, expect, it } from 'vitest'
import { applyPending, newerList, outboxStorageKey, parseOutbox, retryDelay, serializeOutbox, type OutboxEntry } from './outbox'
import type { TodoListPage } from './todo-list'

const KEY = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

const list = (overrides: Partial<TodoListPage> = {}): TodoListPage => ({
  username: 'alice',
  todos: [
    { id: 1, contents: 'one', isDone: false, dueAt: null, remindAt: null, repeat: null },
    { id: 2, contents: 'two', isDone: true, dueAt: null, remindAt: null, repeat: null },
  ],
  filter: 'all',
  page: 1,
  pageCount: 1,
  activeCount: 1,
  completedCount: 1,
  matchingCount: 2,
  canRemind: false,
  ...overrides,
})

const entry = (n: number, change: OutboxEntry['change']): OutboxEntry => ({ key: KEY(n), change, at: n })

describe('the outbox', () => {
  it('stores and reads entries, skipping anything unreadable', () => {
    const entries = [entry(1, { type: 'add', contents: 'milk' }), entry(2, { type: 'set-done', id: 1, isDone: true })]
    expect(parseOutbox(serializeOutbox(entries))).toEqual(entries)
    expect(parseOutbox(null)).toEqual([])
    expect(parseOutbox('not json')).toEqual([])
    expect(parseOutbox('{"a":1}')).toEqual([])
    const mixed = JSON.stringify([entries[0], { key: 'nope', change: { type: 'add', contents: 'x' }, at: 1 }, { key: KEY(3), change: { type: 'fly' }, at: 1 }])
    expect(parseOutbox(mixed)).toEqual([entries[0]])
  })

  it('keeps each user apart', () => {
    expect(outboxStorageKey(1)).not.toBe(outboxStorageKey(2))
  })

  it('shows pending changes over whatever list the server sent, in order', () => {
    const entries = [
      entry(1, { type: 'set-done', id: 1, isDone: true }),
      entry(2, { type: 'edit', id: 2, contents: '  two!  ' }),
      entry(3, { type: 'add', contents: 'three' }),
    ]
    const { view, adding } = applyPending(list(), entries)
    expect(view.todos.map((item) => [item.contents, item.isDone])).toEqual([
      ['one', true],
      ['two!', true],
    ])
    expect(adding).toEqual([{ key: KEY(3), contents: 'three' }])
    expect([view.activeCount, view.completedCount, view.matchingCount]).toEqual([1, 2, 3])
    // A newer list from the server (another device renamed "one") still gets the pending changes.
    const newer = list({ todos: [{ id: 1, contents: 'uno', isDone: false, dueAt: null, remindAt: null, repeat: null }], activeCount: 1, completedCount: 0, matchingCount: 1 })
    expect(applyPending(newer, entries).view.todos).toEqual([expect.objectContaining({ contents: 'uno', isDone: true })])
  })

  it('an emptied edit and a delete take the row away; undo waits for the server', () => {
    const { view } = applyPending(list(), [entry(1, { type: 'edit', id: 1, contents: '   ' }), entry(2, { type: 'undo', ids: [9] })])
    expect(view.todos.map((item) => item.id)).toEqual([2])
    expect(applyPending(list(), [entry(1, { type: 'delete', id: 2 })]).view.completedCount).toBe(0)
  })

  it('lists a new todo only where the server would: the last page of All or Active', () => {
    const add = [entry(1, { type: 'add', contents: 'new' })]
    expect(applyPending(list({ filter: 'completed' }), add).adding).toEqual([])
    expect(applyPending(list({ filter: 'today' }), add).adding).toEqual([])
    expect(applyPending(list({ page: 1, pageCount: 2 }), add).adding).toEqual([])
    expect(applyPending(list({ filter: 'active' }), add).adding).toHaveLength(1)
    expect(applyPending(list(), [entry(1, { type: 'add', contents: '  ' })]).adding).toEqual([])
  })

  it('waits longer after each failure, up to a minute', () => {
    expect([1, 2, 3, 10].map(retryDelay)).toEqual([2_000, 4_000, 8_000, 60_000])
  })

  describe('which list the page shows: the rendered one or the last answer', () => {
    const rendered = list()
    const answer = list({ todos: [rendered.todos[1]!], activeCount: 0, matchingCount: 1 })
    const asked = { filter: 'all', page: 1 } as const

    it('the answer, while nothing newer was rendered', () => {
      expect(newerList({ list: rendered, version: 5 }, null)).toEqual({ list: rendered, version: 5 })
      expect(newerList({ list: rendered, version: 5 }, { list: answer, version: 6, asked, over: rendered }).list).toBe(answer)
      // A refresh that started before the change and came back after its answer is older: the answer stays.
      expect(newerList({ list: list(), version: 5 }, { list: answer, version: 6, asked, over: rendered }).list).toBe(answer)
    })

    it('a render at the same version or newer', () => {
      const again = list()
      expect(newerList({ list: again, version: 6 }, { list: answer, version: 6, asked, over: rendered }).list).toBe(again)
      expect(newerList({ list: again, version: 7 }, { list: answer, version: 6, asked, over: rendered }).list).toBe(again)
    })

    it('without versions (Redis away): the answer until the page is rendered again', () => {
      expect(newerList({ list: rendered, version: null }, { list: answer, version: null, asked, over: rendered }).list).toBe(answer)
      expect(newerList({ list: rendered, version: 5 }, { list: answer, version: null, asked, over: rendered }).list).toBe(answer)
      const again = list()
      expect(newerList({ list: again, version: null }, { list: answer, version: 6, asked, over: rendered }).list).toBe(again)
    })

    it('only for the view it was read for, a clamped page included', () => {
      const active = list({ filter: 'active' })
      expect(newerList({ list: active, version: 5 }, { list: answer, version: 6, asked, over: rendered }).list).toBe(active)
      // Page 2 asked; the last todo of page 2 was deleted, so the server answered with page 1.
      const second = list({ page: 2, pageCount: 2 })
      const clamped = list({ page: 1, pageCount: 1 })
      expect(newerList({ list: second, version: 5 }, { list: clamped, version: 6, asked: { filter: 'all', page: 2 }, over: second }).list).toBe(clamped)
    })
  })
})
