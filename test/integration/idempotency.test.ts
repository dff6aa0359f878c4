import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { idempotencyReceipt, todo, user } from '@/db/schema'
import { db } from '@/server/db'
import { IdempotencyConflictError, purgeReceipts } from '@/server/idempotency'
import { accountLimits, TodoLimitError } from '@/server/limits'
import { listTodos, listTrash, onceWrites, TodoRuleError, updateTodo } from '@/server/todos'
import type { Viewer } from '@/server/users'
import { listAllTodos } from '../support/api-list'
import { createTestViewer } from '../support/users'

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
})

async function viewer(): Promise<Viewer> {
  const created = await createTestViewer('once')
  cleanups.push(() => db.delete(user).where(eq(user.id, created.id)))
  return created
}

const receiptsOf = (userId: number) => db.select().from(idempotencyReceipt).where(eq(idempotencyReceipt.userId, userId))
const input = (contents: string) => ({ contents, isDone: false })

describe('changes applied once (idempotency receipts)', () => {
  it('a replayed key returns the first outcome and changes nothing', async () => {
    const alice = await viewer()
    const key = randomUUID()
    const first = await onceWrites.createTodo(key, alice, input('milk'))
    const again = await onceWrites.createTodo(key, alice, input('milk'))
    expect(first.replayed).toBe(false)
    expect(again).toEqual({ result: first.result, replayed: true })
    expect((await listAllTodos(alice)).map((item) => item.contents)).toEqual(['milk'])

    // A toggle replayed after another change does not undo that change: the first answer comes back.
    const toggle = randomUUID()
    const done = await onceWrites.updateTodo(toggle, alice, first.result.id, { isDone: true })
    await updateTodo(alice, first.result.id, { isDone: false, contents: 'oat milk' })
    const replay = await onceWrites.updateTodo(toggle, alice, first.result.id, { isDone: true })
    expect(replay).toEqual({ result: done.result, replayed: true })
    expect((await listAllTodos(alice))[0]).toMatchObject({ contents: 'oat milk', isDone: false })
  })

  it('concurrent requests with one key apply once', async () => {
    const alice = await viewer()
    const key = randomUUID()
    const answers = await Promise.all(Array.from({ length: 8 }, () => onceWrites.createTodo(key, alice, input('once only'))))
    expect(new Set(answers.map((answer) => answer.result.id)).size).toBe(1)
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1)
    expect(await listAllTodos(alice)).toHaveLength(1)
    expect(await receiptsOf(alice.id)).toHaveLength(1)
  })

  it('the same key with a different request is refused and applies nothing', async () => {
    const alice = await viewer()
    const key = randomUUID()
    const { result } = await onceWrites.createTodo(key, alice, input('bread'))
    await expect(onceWrites.createTodo(key, alice, input('butter'))).rejects.toBeInstanceOf(IdempotencyConflictError)
    await expect(onceWrites.deleteTodo(key, alice, result.id)).rejects.toBeInstanceOf(IdempotencyConflictError)
    expect((await listAllTodos(alice)).map((item) => item.contents)).toEqual(['bread'])
  })

  it('keys are per user: another user with the same key gets their own change', async () => {
    const [alice, bob] = [await viewer(), await viewer()]
    const key = randomUUID()
    await onceWrites.createTodo(key, alice, input('alice’s'))
    const bobs = await onceWrites.createTodo(key, bob, input('bob’s'))
    expect(bobs.replayed).toBe(false)
    expect((await listAllTodos(bob)).map((item) => item.contents)).toEqual(['bob’s'])
  })

  it('a refused change keeps no receipt, and the key can be used again', async () => {
    const alice = await viewer()
    const key = randomUUID()
    const { result } = await onceWrites.createTodo(undefined, alice, input('call mum'))
    const pastReminder = { remindAt: new Date(Date.now() - 60_000), dueAt: new Date(Date.now() + 3_600_000) }
    await expect(onceWrites.updateTodo(key, alice, result.id, pastReminder)).rejects.toBeInstanceOf(TodoRuleError)
    expect(await receiptsOf(alice.id)).toHaveLength(0)

    const saved = accountLimits.todosPerUser
    accountLimits.todosPerUser = 1
    try {
      await expect(onceWrites.createTodo(key, alice, input('too many'))).rejects.toBeInstanceOf(TodoLimitError)
    } finally {
      accountLimits.todosPerUser = saved
    }
    expect(await receiptsOf(alice.id)).toHaveLength(0)
    expect((await onceWrites.createTodo(key, alice, input('too many'))).replayed).toBe(false)
  })

  it('the cache is invalidated after the commit: the list shows the change', async () => {
    const alice = await viewer()
    expect((await listTodos(alice))?.todos).toEqual([]) // cached empty
    await onceWrites.createTodo(randomUUID(), alice, input('seen'))
    expect((await listTodos(alice))?.todos.map((item) => item.contents)).toEqual(['seen'])
  })

  it('trash writes replay too: delete, restore, clear completed', async () => {
    const alice = await viewer()
    const { result: one } = await onceWrites.createTodo(undefined, alice, { contents: 'one', isDone: true })
    const del = randomUUID()
    expect((await onceWrites.deleteTodo(del, alice, one.id)).result).toBe(true)
    const restore = randomUUID()
    expect((await onceWrites.restoreTodos(restore, alice, [one.id])).result).toHaveLength(1)
    // Replaying the delete does not trash it again: the first answer (true) comes back.
    expect(await onceWrites.deleteTodo(del, alice, one.id)).toEqual({ result: true, replayed: true })
    expect(await listTrash(alice)).toEqual([])
    const clear = randomUUID()
    expect((await onceWrites.trashCompleted(clear, alice)).result).toEqual([one.id])
    await onceWrites.restoreTodos(undefined, alice, [one.id])
    expect(await onceWrites.trashCompleted(clear, alice)).toEqual({ result: [one.id], replayed: true })
    expect(await listAllTodos(alice)).toHaveLength(1)
  })

  it('purges receipts older than the cut-off, and only those', async () => {
    const alice = await viewer()
    const [oldKey, newKey] = [randomUUID(), randomUUID()]
    await onceWrites.createTodo(oldKey, alice, input('old'))
    await onceWrites.createTodo(newKey, alice, input('new'))
    await db
      .update(idempotencyReceipt)
      .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(and(eq(idempotencyReceipt.userId, alice.id), eq(idempotencyReceipt.key, oldKey)))
    expect(await purgeReceipts(new Date(Date.now() - 24 * 3_600_000))).toBeGreaterThanOrEqual(1)
    expect((await receiptsOf(alice.id)).map((row) => row.key)).toEqual([newKey])
    // Past the purge, the key is new again.
    expect((await onceWrites.createTodo(oldKey, alice, input('old'))).replayed).toBe(false)
    expect(await db.select().from(todo).where(eq(todo.userId, alice.id))).toHaveLength(3)
  })

  it("one user's concurrent completions and un-completions all apply, none lost to a deadlock", async () => {
    // As the bench's clicks found: locking the user row beside the todo (a join FOR UPDATE) while
    // the receipt's foreign key held it shared deadlocked writes of one user past every retry.
    const alice = await viewer()
    const ids: number[] = []
    for (let n = 0; n < 8; n++) ids.push((await onceWrites.createTodo(randomUUID(), alice, input(`t${n}`))).result.id)
    for (const isDone of [true, false, true]) {
      const writes = ids.flatMap((id) => [0, 1, 2, 3].map(() => onceWrites.updateTodo(randomUUID(), alice, id, { isDone })))
      const outcomes = await Promise.allSettled(writes)
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([])
      expect((await listAllTodos(alice)).every((item) => item.isDone === isDone)).toBe(true)
    }
  })
})
