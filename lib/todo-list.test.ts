import { describe, expect, it } from 'vitest'
import { applyTodoChange, type TodoListPage } from './todo-list'

const list = (overrides: Partial<TodoListPage> = {}): TodoListPage => ({
  username: 'alice',
  todos: [
    { id: 1, contents: 'one', isDone: false },
    { id: 2, contents: 'two', isDone: true },
    { id: 3, contents: 'three', isDone: false },
  ],
  filter: 'all',
  page: 1,
  pageCount: 1,
  activeCount: 2,
  completedCount: 1,
  ...overrides,
})

describe('applyTodoChange', () => {
  it('marks a todo done, moves the counts and flags it pending', () => {
    const next = applyTodoChange(list(), { type: 'set-done', id: 1, isDone: true })
    expect(next.todos[0]).toEqual({ id: 1, contents: 'one', isDone: true, pending: true })
    expect([next.activeCount, next.completedCount]).toEqual([1, 2])
  })

  it('drops a todo that no longer matches the filter', () => {
    const active = list({ filter: 'active', todos: [{ id: 1, contents: 'one', isDone: false }] })
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
})
