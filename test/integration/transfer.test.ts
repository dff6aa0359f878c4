import { randomBytes } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { and, asc, eq, isNotNull } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { todo, user } from '@/db/schema'
import { parseCsv } from '@/lib/csv'
import { db } from '@/server/db'
import { accountLimits, TodoLimitError, WriteRateError } from '@/server/limits'
import { createTodo, updateTodo } from '@/server/todos'
import { exportTodos, ImportError, importTodos, type ImportSource } from '@/server/transfer'
import type { Viewer } from '@/server/users'
import { createTestViewer } from '../support/users'

// server/api/http.ts reads the caller through next-auth, which does not load outside Next; these
// tests only need its error mapping.
vi.mock('@/server/auth/session', () => ({ getViewer: async () => null }))

const defaults = { todosPerUser: accountLimits.todosPerUser, writes: accountLimits.writes }
afterEach(() => {
  accountLimits.todosPerUser = defaults.todosPerUser
  accountLimits.writes = defaults.writes
})

async function exportText(viewer: Viewer, format: 'json' | 'csv'): Promise<string> {
  const stream = await exportTodos(viewer, format)
  if (!stream) throw new Error('no export')
  // Response.text() would drop the BOM: decode keeping it.
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer())
}

type Exported = {
  version: number
  exported_at: string
  user: Record<string, unknown>
  todos: Record<string, unknown>[]
  trash: Record<string, unknown>[]
}
const exportJson = async (viewer: Viewer) => JSON.parse(await exportText(viewer, 'json')) as Exported

const csv = (text: string): ImportSource => ({ format: 'csv', text })
const json = (body: unknown): ImportSource => ({ format: 'json', text: JSON.stringify(body) })
const future = (days: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + days * 86_400_000)
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

async function contentsOf(viewer: Viewer) {
  return (await db.select().from(todo).where(eq(todo.userId, viewer.id)).orderBy(asc(todo.id))).map((row) => row.contents)
}

describe('export', () => {
  it('writes JSON with the account, every field of every live todo, and the trash', async () => {
    const viewer = await createTestViewer('export')
    const due = future(3)
    const plain = await createTodo(viewer, { contents: 'Buy milk', isDone: false })
    await createTodo(viewer, { contents: '월세 내기', isDone: false, dueAt: due, remindAt: future(2), repeat: 'FREQ=MONTHLY' })
    const trashed = await createTodo(viewer, { contents: 'old idea', isDone: true })
    await db.update(todo).set({ deletedAt: new Date() }).where(eq(todo.id, trashed.id))

    const body = await exportJson(viewer)
    expect(body.version).toBe(1)
    expect(body.exported_at).toMatch(INSTANT)
    expect(body.user).toEqual({ username: viewer.username, email: null, time_zone: 'UTC', locale: null })
    expect(body.todos.map((t) => t.contents)).toEqual(['Buy milk', '월세 내기'])
    expect(Object.keys(body.todos[0]!).sort()).toEqual(
      ['contents', 'created_at', 'due_at', 'id', 'is_done', 'remind_at', 'repeat', 'updated_at'].sort(),
    )
    expect(body.todos[0]).toMatchObject({ id: plain.id, is_done: false, due_at: null, remind_at: null, repeat: null })
    expect(body.todos[0]!.created_at).toMatch(INSTANT)
    expect(body.todos[1]).toMatchObject({ due_at: due.toISOString().replace('.000', ''), repeat: 'FREQ=MONTHLY' })
    expect(body.trash).toHaveLength(1)
    expect(body.trash[0]).toMatchObject({ id: trashed.id, contents: 'old idea', is_done: true })
    expect(body.trash[0]!.deleted_at).toMatch(INSTANT)
  })

  it('writes CSV: a BOM, CRLF, the header, quoted commas, quotes and Hangul; live todos only', async () => {
    const viewer = await createTestViewer('csvout')
    await createTodo(viewer, { contents: '우유, "저지방" 사기', isDone: true })
    const trashed = await createTodo(viewer, { contents: 'gone', isDone: false })
    await db.update(todo).set({ deletedAt: new Date() }).where(eq(todo.id, trashed.id))

    const text = await exportText(viewer, 'csv')
    expect(text.startsWith('\uFEFFid,contents,is_done,due_at,remind_at,repeat,created_at,updated_at\r\n')).toBe(true)
    expect(text).toContain(',"우유, ""저지방"" 사기",true,,,,')
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(2)
    expect(text.replaceAll('\r\n', '')).not.toContain('\n')
    const [, row] = parseCsv(text)
    expect(row?.[1]).toBe('우유, "저지방" 사기')
  })

  it('streams 10,000 todos in batches with flat memory', async () => {
    const viewer = await createTestViewer('bigexport')
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      userId: viewer.id,
      contents: `할 일 number ${i} ${'x'.repeat(150)}`,
      dueAt: i % 3 === 0 ? future(i % 30) : null,
    }))
    for (let i = 0; i < rows.length; i += 1_000) await db.insert(todo).values(rows.slice(i, i + 1_000))

    // A collector, so that the heap measured is what the export holds, not garbage not yet collected.
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    for (const format of ['json', 'csv'] as const) {
      gc()
      const before = process.memoryUsage().heapUsed
      let peak = before
      let bytes = 0
      let chunks = 0
      const reader = (await exportTodos(viewer, format))!.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        bytes += value.byteLength
        chunks++
        if (chunks % 4 === 0) {
          gc()
          peak = Math.max(peak, process.memoryUsage().heapUsed)
        }
      }
      const growth = (peak - before) / 1024 / 1024
      const size = bytes / 1024 / 1024
      console.info(
        `[transfer] export of 10,000 todos as ${format}: ${size.toFixed(1)} MiB in ${chunks} chunks, ` +
          `live heap growth at most ${growth.toFixed(2)} MiB`,
      )
      expect(chunks).toBeGreaterThanOrEqual(20) // 500 rows a chunk, not one string
      // The whole body as one string would hold at least its size; a batch is a twentieth of it.
      expect(growth).toBeLessThan(size / 2)
    }
  })
})

describe('import', () => {
  it('reads CSV with a BOM, CRLF and LF, quoted commas, quotes and line ends, Hangul, any header case', async () => {
    const viewer = await createTestViewer('csvin')
    const due = future(5).toISOString()
    const text =
      '\uFEFFNote,CONTENTS,Is_Done,due_at,repeat\r\n' +
      'ignored,"Call mom, then dad",true,,\r\n' +
      'x,"Say ""hi""",0,,\n' +
      `x,김치찌개 끓이기,no,${due},FREQ=WEEKLY\n` +
      'x,"quoted ""and, comma""",yes,,'
    expect(await importTodos(viewer, csv(text))).toEqual({ imported: 4, skipped: 0 })
    const stored = await db.select().from(todo).where(eq(todo.userId, viewer.id)).orderBy(asc(todo.id))
    expect(stored.map((row) => [row.contents, row.isDone])).toEqual([
      ['Call mom, then dad', true],
      ['Say "hi"', false],
      ['김치찌개 끓이기', false],
      ['quoted "and, comma"', true],
    ])
    expect(stored[2]?.dueAt?.toISOString()).toBe(due)
    expect(stored[2]?.repeat).toBe('FREQ=WEEKLY')
  })

  it('is all or nothing, naming the first bad rows by number', async () => {
    const viewer = await createTestViewer('bad')
    await createTodo(viewer, { contents: 'already here', isDone: false })
    const text = 'contents,due_at,repeat\nfine,,\n,,\nok too,,FREQ=DAILY\nlast,tomorrow,\n'
    const error = await importTodos(viewer, csv(text)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    const issues = (error as ImportError).issues.map((issue) => [issue.row, issue.field, issue.key])
    expect(issues).toEqual([
      [2, 'contents', 'validation.todo.empty'],
      [3, 'repeat', 'validation.repeat.needsDue'],
      [4, 'due_at', 'validation.due.invalid'],
    ])
    expect(await contentsOf(viewer)).toEqual(['already here'])
  })

  it('lists at most 20 bad rows, and refuses what is not CSV or our JSON', async () => {
    const viewer = await createTestViewer('many')
    const text = `contents\n${Array.from({ length: 50 }, () => '""').join('\n')}\n`
    const error = (await importTodos(viewer, csv(text)).catch((e: unknown) => e)) as ImportError
    expect(error.issues).toHaveLength(20)
    expect(error.values).toEqual({ count: 50 })
    await expect(importTodos(viewer, csv('title\nx\n'))).rejects.toMatchObject({ key: 'transfer.errors.noContents' })
    await expect(importTodos(viewer, csv('contents\n"open\n'))).rejects.toMatchObject({ key: 'transfer.errors.badCsv' })
    await expect(importTodos(viewer, { format: 'json', text: '{"todos": [' })).rejects.toMatchObject({ key: 'transfer.errors.badJson' })
    await expect(importTodos(viewer, json({ version: 2, todos: [] }))).rejects.toMatchObject({ key: 'transfer.errors.version' })
    const tooMany = `contents\n${Array.from({ length: 5_001 }, (_, i) => `t${i}`).join('\n')}\n`
    await expect(importTodos(viewer, csv(tooMany))).rejects.toMatchObject({ key: 'transfer.errors.tooMany' })
    expect(await contentsOf(viewer)).toEqual([])
  })

  it('keeps created_at, drops a reminder already past, keeps a future one', async () => {
    const viewer = await createTestViewer('dates')
    const remind = future(1)
    const result = await importTodos(
      viewer,
      json({
        version: 1,
        todos: [
          { contents: 'old', created_at: '2020-05-01T10:00:00Z', due_at: '2020-05-02T10:00:00Z', remind_at: '2020-05-02T09:00:00Z' },
          { contents: 'soon', due_at: future(2).toISOString(), remind_at: remind.toISOString() },
        ],
      }),
    )
    expect(result).toEqual({ imported: 2, skipped: 0 })
    const [old, soon] = await db.select().from(todo).where(eq(todo.userId, viewer.id)).orderBy(asc(todo.id))
    expect(old?.createdAt.toISOString()).toBe('2020-05-01T10:00:00.000Z')
    expect(old?.remindAt).toBeNull()
    expect(soon?.remindAt?.toISOString()).toBe(remind.toISOString())
    await expect(importTodos(viewer, json({ todos: [{ contents: 'x', created_at: '2999-01-01T00:00:00Z' }] }))).rejects.toMatchObject({
      issues: [{ row: 1, field: 'created_at', key: 'transfer.errors.createdAtFuture' }],
    })
  })

  it('adds nothing the second time the same export is imported', async () => {
    const source = await createTestViewer('src')
    await createTodo(source, { contents: 'one', isDone: false })
    await createTodo(source, { contents: 'two', isDone: true })
    const exported = await exportText(source, 'json')
    const target = await createTestViewer('dst')
    expect(await importTodos(target, { format: 'json', text: exported })).toEqual({ imported: 2, skipped: 0 })
    expect(await importTodos(target, { format: 'json', text: exported })).toEqual({ imported: 0, skipped: 2 })
    // Into the account it came from: every row is already there.
    expect(await importTodos(source, { format: 'json', text: exported })).toEqual({ imported: 0, skipped: 2 })
    expect(await contentsOf(target)).toEqual(['one', 'two'])
  })

  it('round-trips: export, import into a new account, export again gives the same todos', async () => {
    const source = await createTestViewer('trip')
    await createTodo(source, { contents: 'Pay rent, "on time"', isDone: false, dueAt: future(4), remindAt: future(3), repeat: 'FREQ=WEEKLY;BYDAY=MO' })
    await createTodo(source, { contents: '장보기 🛒', isDone: true })
    await createTodo(source, { contents: 'plain', isDone: false, dueAt: future(10) })
    const gone = await createTodo(source, { contents: 'in the trash', isDone: false })
    await db.update(todo).set({ deletedAt: new Date('2026-01-02T03:04:05Z') }).where(eq(todo.id, gone.id))
    // An older created_at than "now", so that a kept created_at is visible.
    await db.update(todo).set({ createdAt: new Date('2025-06-01T00:00:00Z') }).where(eq(todo.userId, source.id))

    const first = await exportJson(source)
    const target = await createTestViewer('trip2')
    expect(await importTodos(target, { format: 'json', text: JSON.stringify(first) })).toEqual({ imported: 4, skipped: 0 })
    const second = await exportJson(target)

    const comparable = (rows: Record<string, unknown>[]) => rows.map(({ id: _id, updated_at: _u, ...rest }) => rest)
    expect(comparable(second.todos)).toEqual(comparable(first.todos))
    expect(comparable(second.trash)).toEqual(comparable(first.trash))
    expect(second.todos.map((t) => t.id)).not.toEqual(first.todos.map((t) => t.id))

    // And through CSV (live todos): the same contents, flags, dates, repeat and created_at.
    const viaCsv = await createTestViewer('trip3')
    await importTodos(viaCsv, { format: 'csv', text: await exportText(source, 'csv') })
    expect(comparable((await exportJson(viaCsv)).todos)).toEqual(comparable(first.todos))
  })

  it('imports 5,000 rows in one go and prints how long it took', async () => {
    const viewer = await createTestViewer('bulk')
    const text = `contents,is_done,due_at\r\n${Array.from({ length: 5_000 }, (_, i) => `"할 일 ${i}, bulk",${i % 2 === 0},${i % 4 === 0 ? future(3).toISOString() : ''}`).join('\r\n')}\r\n`
    const started = performance.now()
    expect(await importTodos(viewer, csv(text))).toEqual({ imported: 5_000, skipped: 0 })
    console.info(`[transfer] import of 5,000 CSV rows (${(text.length / 1024).toFixed(0)} KiB): ${(performance.now() - started).toFixed(0)} ms`)
  })
})

describe('fair limits', () => {
  it('refuses a todo beyond the per-account limit, the trash counted; an import that would pass it is refused whole', async () => {
    accountLimits.todosPerUser = 3
    const viewer = await createTestViewer('full')
    await createTodo(viewer, { contents: 'a', isDone: false })
    const b = await createTodo(viewer, { contents: 'b', isDone: false })
    await db.update(todo).set({ deletedAt: new Date() }).where(eq(todo.id, b.id))
    await expect(importTodos(viewer, csv('contents\nc\nd\n'))).rejects.toBeInstanceOf(TodoLimitError)
    expect(await contentsOf(viewer)).toEqual(['a', 'b'])
    expect(await importTodos(viewer, csv('contents\nc\n'))).toEqual({ imported: 1, skipped: 0 })
    await expect(createTodo(viewer, { contents: 'd', isDone: false })).rejects.toBeInstanceOf(TodoLimitError)
    expect(await contentsOf(viewer)).toEqual(['a', 'b', 'c'])
    const trashed = await db.select({ id: todo.id }).from(todo).where(and(eq(todo.userId, viewer.id), isNotNull(todo.deletedAt)))
    expect(trashed).toHaveLength(1)
  })

  it('limits writes per account per minute, across creates, updates and imports', async () => {
    accountLimits.writes = { name: `writes-test-${randomBytes(4).toString('hex')}`, max: 3, windowSeconds: 60 }
    const viewer = await createTestViewer('fast')
    const other = await createTestViewer('calm')
    const first = await createTodo(viewer, { contents: 'one', isDone: false })
    await updateTodo(viewer, first.id, { isDone: true })
    await importTodos(viewer, csv('contents\ntwo\n'))
    const refused = await createTodo(viewer, { contents: 'three', isDone: false }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(WriteRateError)
    expect((refused as WriteRateError).retryAfterSeconds).toBeGreaterThan(0)
    await expect(importTodos(viewer, csv('contents\nfour\n'))).rejects.toBeInstanceOf(WriteRateError)
    expect(await contentsOf(viewer)).toEqual(['one', 'two'])
    // Another account has its own allowance.
    await createTodo(other, { contents: 'mine', isDone: false })
  })

  it('exports nothing for an account that is gone', async () => {
    const viewer = await createTestViewer('gone')
    await db.delete(user).where(eq(user.id, viewer.id))
    expect(await exportTodos(viewer, 'json')).toBeNull()
  })
})

describe('the API answers the limits', () => {
  it('403 for the todo limit, 429 with Retry-After for the write rate', async () => {
    const { apiRoute } = await import('@/server/api/http')
    const request = { method: 'POST', nextUrl: new URL('http://localhost/api/todos') } as never
    const full = await apiRoute(async () => {
      throw new TodoLimitError(3)
    })(request, {})
    expect(full.status).toBe(403)
    expect(await full.json()).toEqual({ detail: 'An account can hold at most 3 todos (the trash included)' })
    const fast = await apiRoute(async () => {
      throw new WriteRateError(42)
    })(request, {})
    expect(fast.status).toBe(429)
    expect(fast.headers.get('retry-after')).toBe('42')
    expect(await fast.json()).toEqual({ detail: 'Too many changes; try again in 42 seconds' })
  })
})
