import { describe, expect, it } from 'vitest'
import { applyTodoChange, type TodoItem, type TodoListPage } from './todo-list'

const item = (id: number, contents: string, isDone: boolean, more: Partial<TodoItem> = {}): TodoItem => ({
  id,
  contents,
  isDone,
  dueAt: null,
  remindAt: null,
  repeat: null,
  ...more,
})

const list = (overrides: Partial<TodoListPage> = {}): TodoListPage => ({
  username: 'alice',
  todos: [
    item(1, 'one', false),
    item(2, 'two', true),
    item(3, 'three', false),
  ],
  filter: 'all',
  page: 1,
  pageCount: 1,
  activeCount: 2,
  completedCount: 1,
  matchingCount: 3,
  canRemind: false,
  ...overrides,
})

describe('applyTodoChange', () => {
  it('marks a todo done, moves the counts and flags it pending', () => {
    const next = applyTodoChange(list(), { type: 'set-done', id: 1, isDone: true })
    expect(next.todos[0]).toEqual({ ...item(1, 'one', true), pending: true })
    expect([next.activeCount, next.completedCount]).toEqual([1, 2])
  })

  it('drops a todo that no longer matches the filter', () => {
    const active = list({ filter: 'active', todos: [item(1, 'one', false)] })
    expect(applyTodoChange(active, { type: 'set-done', id: 1, isDone: true }).todos).toEqual([])
  })

  it('ignores a change that changes nothing', () => {
    const before = list()
    expect(applyTodoChange(before, { type: 'set-done', id: 2, isDone: true })).toBe(before)
    expect(applyTodoChange(before, { type: 'delete', id: 99 })).toBe(before)
  })

  it('deletes and counts by what was deleted', () => {
    const next = applyTodoChange(list(), { type: 'delete', id: 2 })
    expect(next.todos.map((t) => t.id)).toEqual([1, 3])
    expect([next.activeCount, next.completedCount]).toEqual([2, 0])
  })

  it('edits the text', () => {
    expect(applyTodoChange(list(), { type: 'edit', id: 3, contents: 'THREE' }).todos[2]?.contents).toBe('THREE')
  })

  it('marks all as complete across pages', () => {
    const next = applyTodoChange(list({ activeCount: 40, completedCount: 10 }), { type: 'set-all-done', isDone: true })
    expect(next.todos.every((t) => t.isDone)).toBe(true)
    expect([next.activeCount, next.completedCount]).toEqual([0, 50])
  })

  it('clears completed', () => {
    const next = applyTodoChange(list(), { type: 'clear-completed' })
    expect(next.todos.map((t) => t.id)).toEqual([1, 3])
    expect(next.completedCount).toBe(0)
  })

  it('keeps a repeating todo open while its completion is saved, and counts what the view shows', () => {
    const repeating = item(4, 'stretch', false, { dueAt: '2026-12-24T00:00:00Z', repeat: 'FREQ=DAILY' })
    const today = list({ filter: 'today', todos: [repeating, item(5, 'call', false, { dueAt: '2026-12-24T01:00:00Z' })], matchingCount: 2 })
    const stepped = applyTodoChange(today, { type: 'set-done', id: 4, isDone: true })
    expect(stepped.todos[0]).toEqual({ ...repeating, pending: true })
    expect([stepped.activeCount, stepped.completedCount, stepped.matchingCount]).toEqual([2, 1, 2])
    const done = applyTodoChange(today, { type: 'set-done', id: 5, isDone: true })
    expect(done.todos.map((t) => t.id)).toEqual([4])
    expect(done.matchingCount).toBe(1)
    expect(applyTodoChange(today, { type: 'delete', id: 5 }).matchingCount).toBe(1)
  })

  describe('due dates', () => {
    const due = (day: number) => `2026-12-${String(day).padStart(2, '0')}T09:00:00.000Z`
    const today = () =>
      list({
        filter: 'today',
        todos: [item(4, 'bank', false, { dueAt: due(1) }), item(5, 'gym', false, { dueAt: due(2), repeat: 'FREQ=DAILY' })],
        activeCount: 5,
        completedCount: 0,
        matchingCount: 2,
      })

    it('sets the details and flags the todo pending, keeping the order of the All view', () => {
      const next = applyTodoChange(list(), { type: 'set-details', id: 1, dueAt: due(3), remindAt: due(2), repeat: 'FREQ=WEEKLY;BYDAY=MO' })
      expect(next.todos[0]).toEqual({ ...item(1, 'one', false, { dueAt: due(3), remindAt: due(2), repeat: 'FREQ=WEEKLY;BYDAY=MO' }), pending: true })
      expect(next.todos.map((t) => t.id)).toEqual([1, 2, 3])
    })

    it('keeps the rule when the change leaves it out', () => {
      const next = applyTodoChange(today(), { type: 'set-details', id: 5, dueAt: due(2), remindAt: null })
      expect(next.todos.find((t) => t.id === 5)?.repeat).toBe('FREQ=DAILY')
    })

    it('re-sorts the Today view by due time, and drops a todo whose due date is cleared, counting it', () => {
      const moved = applyTodoChange(today(), { type: 'set-details', id: 4, dueAt: due(3), remindAt: null, repeat: null })
      expect(moved.todos.map((t) => t.id)).toEqual([5, 4])
      const cleared = applyTodoChange(today(), { type: 'set-details', id: 4, dueAt: null, remindAt: null, repeat: null })
      expect(cleared.todos.map((t) => t.id)).toEqual([5])
      expect(cleared.matchingCount).toBe(1)
    })

    it('completing a todo in the Today view takes it out of the view and its counter', () => {
      const next = applyTodoChange(today(), { type: 'set-done', id: 4, isDone: true })
      expect(next.todos.map((t) => t.id)).toEqual([5])
      expect([next.activeCount, next.completedCount, next.matchingCount]).toEqual([4, 1, 1])
    })

    it('completing a repeating todo leaves it open and pending: the server moves it to its next date', () => {
      const next = applyTodoChange(today(), { type: 'set-done', id: 5, isDone: true })
      expect(next.todos.find((t) => t.id === 5)).toEqual({ ...today().todos[1], pending: true })
      expect([next.activeCount, next.completedCount, next.matchingCount]).toEqual([5, 0, 2])
    })

    it('deleting from the Upcoming view counts it', () => {
      const next = applyTodoChange({ ...today(), filter: 'upcoming' }, { type: 'delete', id: 5 })
      expect(next.matchingCount).toBe(1)
    })

    it('counts a delete in the All view too', () => {
      expect(applyTodoChange(list({ matchingCount: 3 }), { type: 'delete', id: 1 }).matchingCount).toBe(2)
    })
  })
})
