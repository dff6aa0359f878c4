import type { AddressInfo } from 'node:net'
import { eq, inArray } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'

// This file's own Redis namespace (see reminders.test.ts): syncReminder schedules where this
// file's workers look, and no other file's worker takes these jobs.
const FILE_PREFIX = vi.hoisted(() => {
  const prefix = `test-trash-${Math.random().toString(16).slice(2, 12)}`
  process.env.REDIS_PREFIX = prefix
  return prefix
})

import { todo, user } from '@/db/schema'
import { db } from '@/server/db'
import { defaultQueuePrefix } from '@/server/jobs/email-queue'
import { startWorkers } from '@/server/jobs/email-worker'
import { startReminderWorker } from '@/server/jobs/reminder-worker'
import {
  clearCompleted,
  createTodo,
  deleteTodo,
  emptyTrash,
  getTodo,
  listTodos,
  listTrash,
  purgeExpiredTrash,
  purgeTrashedTodo,
  restoreTodo,
  restoreTodos,
  setAllDone,
  trashCompleted,
  updateTodo,
} from '@/server/todos'
import { listAllTodos } from '../support/api-list'
import { createTestViewer } from '../support/users'
import { sleep, waitFor } from '../support/wait'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const PREFIX = defaultQueuePrefix()
const secondsFromNow = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1_000) * 1_000)

const cleanups: Array<() => Promise<unknown>> = []
const admin = new Redis(REDIS_URL)
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
  const keys = await admin.keys(`${FILE_PREFIX}:*`)
  if (keys.length > 0) await admin.del(...keys)
})
afterAll(() => admin.disconnect())

async function listener() {
  const delivered: { to: string; at: number }[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          delivered.push({ to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '', at: Date.now() })
          callback()
        })
        .catch(callback)
    },
  })
  server.on('error', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `smtp://127.0.0.1:${port}`, to: (to: string) => delivered.filter((mail) => mail.to === to) }
}

/** A viewer with a verified address, removed (todos and all) after the test. */
async function verifiedViewer() {
  const viewer = await createTestViewer('trash')
  cleanups.push(() => db.delete(user).where(eq(user.id, viewer.id)))
  const email = `${viewer.username}@example.test`
  await db.update(user).set({ email, emailVerifiedAt: new Date() }).where(eq(user.id, viewer.id))
  return { viewer, email }
}

describe('the trash in the data layer', () => {
  it('delete and clear-completed move todos to the trash, newest first', async () => {
    const viewer = await createTestViewer('trash')
    const a = await createTodo(viewer, { contents: 'a', isDone: false })
    const b = await createTodo(viewer, { contents: 'b', isDone: true })
    const c = await createTodo(viewer, { contents: 'c', isDone: true })
    expect(await deleteTodo(viewer, a.id)).toBe(true)
    expect(await deleteTodo(viewer, a.id)).toBe(false) // already in the trash
    await db.update(todo).set({ deletedAt: new Date(Date.now() - 60_000) }).where(eq(todo.id, a.id)) // a minute older
    expect(await trashCompleted(viewer)).toEqual([b.id, c.id])
    expect(await clearCompleted(viewer)).toBe(0)

    const trash = await listTrash(viewer)
    expect(trash.map((item) => item.id)).toEqual([c.id, b.id, a.id])
    expect(trash[0]).toMatchObject({ contents: 'c', isDone: true, dueAt: null, remindAt: null, repeat: null })
    expect(trash[0]!.deletedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const [row] = await db.select().from(todo).where(eq(todo.id, a.id))
    expect(row?.deletedAt).toBeInstanceOf(Date) // still there, not deleted
  })

  it('hides trashed todos from the list, counts, views, get, update and set-all-done', async () => {
    const viewer = await createTestViewer('trash')
    const due = new Date(Date.now() + 60 * 60_000)
    const kept = await createTodo(viewer, { contents: 'kept', isDone: false })
    const gone = await createTodo(viewer, { contents: 'gone', isDone: false, dueAt: due })
    const goneDone = await createTodo(viewer, { contents: 'gone done', isDone: true })
    await listTodos(viewer) // cached before the delete: the delete must void it
    await deleteTodo(viewer, gone.id)
    await deleteTodo(viewer, goneDone.id)

    const list = await listTodos(viewer)
    expect(list?.todos.map((item) => item.id)).toEqual([kept.id])
    expect([list?.activeCount, list?.completedCount, list?.matchingCount]).toEqual([1, 0, 1])
    for (const filter of ['today', 'upcoming', 'completed'] as const) {
      const view = await listTodos(viewer, { filter })
      expect(view?.todos).toEqual([])
      expect(view?.matchingCount).toBe(0)
    }
    expect((await listAllTodos(viewer)).map((item) => item.id)).toEqual([kept.id])
    expect(await listAllTodos(viewer, 'ASC', { dueAfter: new Date(0) })).toEqual([])
    expect(await getTodo(viewer, gone.id)).toBeNull()
    expect(await updateTodo(viewer, gone.id, { contents: 'changed' })).toBeNull()
    expect(await updateTodo(viewer, gone.id, { isDone: true })).toBeNull()

    expect(await setAllDone(viewer, true)).toBe(1)
    expect(await setAllDone(viewer, false)).toBe(1)
    const rows = await db.select().from(todo).where(inArray(todo.id, [gone.id, goneDone.id]))
    expect(rows.map((row) => [row.contents, row.isDone])).toEqual([
      ['gone', false],
      ['gone done', true],
    ])
  })

  it('restores with the same id, in its place in the list, and only from the viewer’s trash', async () => {
    const alice = await createTestViewer('trash')
    const mallory = await createTestViewer('mallory')
    const first = await createTodo(alice, { contents: 'first', isDone: false })
    const middle = await createTodo(alice, { contents: 'middle', isDone: false })
    const last = await createTodo(alice, { contents: 'last', isDone: false })
    await deleteTodo(alice, middle.id)

    // Another user's trash item is missing to everyone else, whatever the call.
    expect(await listTrash(mallory)).toEqual([])
    expect(await listTrash(mallory, [middle.id])).toEqual([])
    expect(await restoreTodo(mallory, middle.id)).toBeNull()
    expect(await purgeTrashedTodo(mallory, middle.id)).toBe(false)
    expect(await emptyTrash(mallory)).toBe(0)
    expect(await listTrash(alice, [middle.id])).toHaveLength(1)

    expect(await restoreTodo(alice, first.id)).toBeNull() // live: nothing to restore
    expect(await restoreTodo(alice, middle.id)).toEqual(middle)
    expect((await listTodos(alice))?.todos).toEqual([first, middle, last])
    expect(await listTrash(alice)).toEqual([])
  })

  it('deletes for good one item or the whole trash', async () => {
    const viewer = await createTestViewer('trash')
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((contents) => createTodo(viewer, { contents, isDone: false })))
    for (const item of [a!, b!, c!]) await deleteTodo(viewer, item.id)
    expect(await purgeTrashedTodo(viewer, a!.id)).toBe(true)
    expect(await purgeTrashedTodo(viewer, a!.id)).toBe(false)
    expect(await emptyTrash(viewer)).toBe(2)
    expect(await restoreTodos(viewer, [a!.id, b!.id, c!.id])).toEqual([])
    expect(await db.select().from(todo).where(eq(todo.userId, viewer.id))).toEqual([])
  })

  it('purges in batches only what is older than the retention', async () => {
    const viewer = await createTestViewer('trash')
    const items = await Promise.all(
      Array.from({ length: 7 }, (_, i) => createTodo(viewer, { contents: `old ${i}`, isDone: false })),
    )
    const fresh = await createTodo(viewer, { contents: 'fresh', isDone: false })
    const alive = await createTodo(viewer, { contents: 'alive', isDone: false })
    for (const item of [...items, fresh]) await deleteTodo(viewer, item.id)
    const longAgo = new Date(Date.UTC(2000, 0, 1))
    await db.update(todo).set({ deletedAt: longAgo }).where(inArray(todo.id, items.map((item) => item.id)))

    // Years before any other test's trash: this purge touches only these rows.
    expect(await purgeExpiredTrash(new Date(Date.UTC(2000, 0, 2)), { batchSize: 3 })).toBe(7)
    const left = await db.select({ id: todo.id }).from(todo).where(eq(todo.userId, viewer.id))
    expect(left.map((row) => row.id).sort((x, y) => x - y)).toEqual([fresh.id, alive.id])
  })
})

describe('the trash and the workers', () => {
  it('the purge scheduler deletes todos trashed longer than the retention', async () => {
    const worker = startReminderWorker({
      redisUrl: REDIS_URL,
      prefix: PREFIX,
      sweepEveryMs: 60_000,
      summaryEveryMs: 60_000,
      purgeEveryMs: 300,
      // A year: the rows below are older, other tests' trash is not.
      trashRetentionMs: 365 * 24 * 60 * 60_000,
      lockDuration: 1_000,
      stalledInterval: 500,
    })
    cleanups.push(() => worker.close())
    const viewer = await createTestViewer('trash')
    const old = await createTodo(viewer, { contents: 'old', isDone: false })
    const recent = await createTodo(viewer, { contents: 'recent', isDone: false })
    await deleteTodo(viewer, old.id)
    await deleteTodo(viewer, recent.id)
    await db.update(todo).set({ deletedAt: new Date(Date.now() - 400 * 24 * 60 * 60_000) }).where(eq(todo.id, old.id))

    await waitFor('the purge', async () => (await db.select().from(todo).where(eq(todo.id, old.id))).length === 0)
    expect((await listTrash(viewer)).map((item) => item.id)).toEqual([recent.id])
  })

  it('a trashed todo’s reminder does not fire; a restored one fires at its time', async () => {
    const smtp = await listener()
    const workers = startWorkers(
      { redisUrl: REDIS_URL, prefix: PREFIX, smtpUrl: smtp.url, backoffDelayMs: 100, lockDuration: 1_000, stalledInterval: 500 },
      // The sweep runs often too: it must skip the trashed todo as the trigger does.
      { sweepEveryMs: 500, summaryEveryMs: 60_000, lockDuration: 1_000, stalledInterval: 500 },
    )
    cleanups.push(() => workers.close())
    const { viewer, email } = await verifiedViewer()
    const remindAt = secondsFromNow(3_000)
    const trashed = await createTodo(viewer, { contents: 'trashed', isDone: false, remindAt })
    await deleteTodo(viewer, trashed.id)

    await sleep(remindAt.getTime() - Date.now() + 2_500)
    expect(smtp.to(email)).toHaveLength(0)
    const [row] = await db.select().from(todo).where(eq(todo.id, trashed.id))
    expect(row?.reminderQueuedFor).toBeNull()

    // Restoring reschedules a reminder that is still ahead.
    const later = secondsFromNow(3_000)
    const restoredLater = await createTodo(viewer, { contents: 'restored', isDone: false, remindAt: later })
    await deleteTodo(viewer, restoredLater.id)
    expect(await restoreTodo(viewer, restoredLater.id)).toMatchObject({ id: restoredLater.id })
    await waitFor('the restored reminder', () => smtp.to(email).length === 1)
    expect(smtp.to(email)[0]!.at).toBeGreaterThanOrEqual(later.getTime())
    expect(smtp.to(email)[0]!.at - later.getTime()).toBeLessThan(3_000)
  })
})
