import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { todo, user } from '@/db/schema'
import { db } from '@/server/db'
import {
  allTodosQuery,
  clearCompleted,
  createTodo,
  deleteTodo,
  getTodo,
  listTodos,
  setAllDone,
  TODO_PAGE_SIZE,
  todoPageQuery,
  updateTodo,
} from '@/server/todos'
import { setVerifiedEmail } from '@/server/users'
import { API_LIST_SQL, PAGE_LIST_SQL } from '../../bench/lib/queries'
import { createTestViewer } from '../support/users'

describe('listTodos (user ⋈ todo)', () => {
  it('gives a user with no todos their name and an empty list', async () => {
    const viewer = await createTestViewer('empty')
    expect(await listTodos(viewer)).toEqual({
      username: viewer.username,
      todos: [],
      filter: 'all',
      page: 1,
      pageCount: 1,
      activeCount: 0,
      completedCount: 0,
      matchingCount: 0,
      canRemind: false,
    })
  })

  it('says whether reminders can be sent, and a newly verified address at once, cached page or not', async () => {
    const viewer = await createTestViewer('remind')
    expect((await listTodos(viewer))?.canRemind).toBe(false) // and now cached
    expect(await setVerifiedEmail(viewer, `${viewer.username}@example.test`)).toBe(true)
    expect((await listTodos(viewer))?.canRemind).toBe(true)
  })

  it('lists only the viewer’s todos, oldest first, with counts', async () => {
    const alice = await createTestViewer('alice')
    const bob = await createTestViewer('bob')
    const first = await createTodo(alice, { contents: 'first', isDone: false })
    await createTodo(bob, { contents: 'bob’s secret', isDone: false })
    const second = await createTodo(alice, { contents: 'second', isDone: true })

    const list = await listTodos(alice)
    expect(list?.username).toBe(alice.username)
    expect(list?.todos).toEqual([first, second])
    expect([list?.activeCount, list?.completedCount]).toEqual([1, 1])
  })

  it('filters in SQL', async () => {
    const viewer = await createTestViewer()
    const open = await createTodo(viewer, { contents: 'open', isDone: false })
    const done = await createTodo(viewer, { contents: 'done', isDone: true })
    expect((await listTodos(viewer, { filter: 'active' }))?.todos).toEqual([open])
    expect((await listTodos(viewer, { filter: 'completed' }))?.todos).toEqual([done])
  })

  it('pages the list, counts every page, and clamps a page past the end', async () => {
    const viewer = await createTestViewer('pages')
    const rows = Array.from({ length: TODO_PAGE_SIZE + 5 }, (_, i) => ({
      contents: `todo ${i}`,
      isDone: i % 5 === 0,
      userId: viewer.id,
    }))
    await db.insert(todo).values(rows)

    const page2 = await listTodos(viewer, { page: 2 })
    expect(page2?.todos.map((t) => t.contents)).toEqual(rows.slice(TODO_PAGE_SIZE).map((r) => r.contents))
    expect(page2?.pageCount).toBe(2)
    expect(page2?.completedCount).toBe(rows.filter((r) => r.isDone).length)
    expect(page2?.activeCount).toBe(rows.filter((r) => !r.isDone).length)

    const beyond = await listTodos(viewer, { page: 9 })
    expect(beyond?.page).toBe(2)
    expect(beyond?.todos).toEqual(page2?.todos)
  })

  it('answers null for an account that no longer exists', async () => {
    const viewer = await createTestViewer('gone')
    await db.delete(user).where(eq(user.id, viewer.id))
    expect(await listTodos(viewer)).toBeNull()
    expect(await listTodos(viewer, { page: 3 })).toBeNull()
  })
})

describe('ownership', () => {
  it('makes another user’s todo invisible and unchangeable', async () => {
    const alice = await createTestViewer('alice')
    const mallory = await createTestViewer('mallory')
    const secret = await createTodo(alice, { contents: 'alice only', isDone: false })

    expect(await getTodo(mallory, secret.id)).toBeNull()
    expect(await updateTodo(mallory, secret.id, { contents: 'pwned', isDone: true })).toBeNull()
    expect(await deleteTodo(mallory, secret.id)).toBe(false)
    expect(await setAllDone(mallory, true)).toBe(0)
    expect(await clearCompleted(mallory)).toBe(0)

    expect(await getTodo(alice, secret.id)).toEqual(secret)
  })

  it('deleting a user deletes their todos (ON DELETE CASCADE)', async () => {
    const viewer = await createTestViewer('cascade')
    const created = await createTodo(viewer, { contents: 'to go', isDone: false })
    await db.delete(user).where(eq(user.id, viewer.id))
    expect(await db.select().from(todo).where(eq(todo.id, created.id))).toEqual([])
  })
})

describe('writes', () => {
  it('reads back exactly what was written, whatever the characters', async () => {
    const viewer = await createTestViewer()
    for (const contents of ['가'.repeat(256), '😀'.repeat(256), `'; DROP TABLE todo; -- "\\ <script>x</script>`]) {
      const created = await createTodo(viewer, { contents, isDone: false })
      expect(await getTodo(viewer, created.id)).toEqual({ id: created.id, contents, isDone: false, dueAt: null, remindAt: null, repeat: null })
    }
  })

  it('an update that changes nothing still finds the todo', async () => {
    const viewer = await createTestViewer()
    const created = await createTodo(viewer, { contents: 'same', isDone: false })
    expect(await updateTodo(viewer, created.id, { isDone: false })).toEqual(created)
  })

  it('updates and deletes the viewer’s own todo', async () => {
    const viewer = await createTestViewer()
    const created = await createTodo(viewer, { contents: 'draft', isDone: false })
    expect(await updateTodo(viewer, created.id, { contents: 'final', isDone: true })).toEqual({
      id: created.id,
      contents: 'final',
      isDone: true,
      dueAt: null,
      remindAt: null,
      repeat: null,
    })
    expect(await deleteTodo(viewer, created.id)).toBe(true)
    expect(await getTodo(viewer, created.id)).toBeNull()
  })

  it('marks all done and clears completed, for the viewer only', async () => {
    const viewer = await createTestViewer()
    const other = await createTestViewer()
    const theirs = await createTodo(other, { contents: 'theirs', isDone: true })
    await createTodo(viewer, { contents: 'a', isDone: false })
    await createTodo(viewer, { contents: 'b', isDone: false })

    expect(await setAllDone(viewer, true)).toBe(2)
    expect((await listTodos(viewer))?.completedCount).toBe(2)
    expect(await clearCompleted(viewer)).toBe(2)
    expect((await listTodos(viewer))?.todos).toEqual([])
    expect(await getTodo(other, theirs.id)).toEqual(theirs)
  })
})

describe('the queries the benchmark EXPLAINs and runs in its floor server', () => {
  it('are the ones the app runs', () => {
    expect(allTodosQuery(1, 'ASC').toSQL().sql).toBe(API_LIST_SQL)
    expect(todoPageQuery(1, 'all', 1).toSQL().sql).toBe(PAGE_LIST_SQL)
  })
})
