import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '@/server/db'
import {
  createTodo,
  deleteTodo,
  dueWindows,
  getTodo,
  listTodos,
  setAllDone,
  todoPageQuery,
  TodoRuleError,
  updateTodo,
} from '@/server/todos'
import { findAccount, setTimeZone, type Viewer } from '@/server/users'
import { listAllTodos } from '../support/api-list'
import { createTestViewer } from '../support/users'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

async function viewerIn(zone: string): Promise<Viewer> {
  const viewer = await createTestViewer('due')
  await setTimeZone(viewer, zone)
  return viewer
}

describe('due dates and reminders in the data layer', () => {
  it('stores instants to the second and answers them in UTC with Z; null clears', async () => {
    const viewer = await createTestViewer('due')
    const due = new Date('2026-12-24T09:00:00.789Z')
    const created = await createTodo(viewer, { contents: 'wrap presents', isDone: false, dueAt: due })
    expect(created).toEqual({
      id: created.id,
      contents: 'wrap presents',
      isDone: false,
      dueAt: '2026-12-24T09:00:00Z',
      remindAt: null,
      repeat: null,
    })
    expect(await getTodo(viewer, created.id)).toEqual(created)
    const cleared = await updateTodo(viewer, created.id, { dueAt: null })
    expect(cleared?.dueAt).toBeNull()
  })

  it('refuses a reminder set in the past and a repeat without a due date', async () => {
    const viewer = await createTestViewer('due')
    await expect(
      createTodo(viewer, { contents: 'late', isDone: false, remindAt: new Date(Date.now() - 60_000) }),
    ).rejects.toMatchObject({ field: 'remindAt', key: 'validation.remind.past' })
    await expect(createTodo(viewer, { contents: 'loop', isDone: false, repeat: 'FREQ=DAILY' })).rejects.toBeInstanceOf(
      TodoRuleError,
    )
    const due = await createTodo(viewer, {
      contents: 'loop',
      isDone: false,
      dueAt: new Date(Date.now() + DAY),
      repeat: 'FREQ=DAILY',
    })
    // Clearing the due date of a repeating todo would leave the rule nothing to step from.
    await expect(updateTodo(viewer, due.id, { dueAt: null })).rejects.toMatchObject({ key: 'validation.repeat.needsDue' })
    expect(await updateTodo(viewer, due.id, { dueAt: null, repeat: null })).toMatchObject({ dueAt: null, repeat: null })
  })

  it('another user’s todo is not found, and not changed', async () => {
    const alice = await createTestViewer('alice')
    const mallory = await createTestViewer('mallory')
    const mine = await createTodo(alice, { contents: 'mine', isDone: false, dueAt: new Date(Date.now() + DAY), repeat: 'FREQ=DAILY' })
    expect(await updateTodo(mallory, mine.id, { isDone: true })).toBeNull()
    expect(await updateTodo(mallory, mine.id, { dueAt: null, repeat: null })).toBeNull()
    expect(await deleteTodo(mallory, mine.id)).toBe(false)
    expect(await getTodo(alice, mine.id)).toEqual(mine)
  })
})

describe('completing a repeating todo', () => {
  it('moves due_at to the next occurrence after now, remind_at by as much, and stays open', async () => {
    const viewer = await viewerIn('Asia/Seoul')
    // Due three days ago at this time, reminded ten minutes before: no pile-up, one step past now.
    const due = Math.floor((Date.now() - 3 * DAY) / 1000) * 1000
    const created = await createTodo(viewer, {
      contents: 'stretch',
      isDone: false,
      dueAt: new Date(due),
      repeat: 'FREQ=DAILY',
    })
    // Taken once: a second Date.now() after the update can fall in the next second.
    const remindAt = Math.floor((Date.now() + HOUR) / 1000) * 1000
    const stepped = await updateTodo(viewer, created.id, { isDone: true, remindAt: new Date(remindAt) })
    expect(stepped?.isDone).toBe(false)
    expect(stepped?.dueAt).toBe(iso(due + 4 * DAY))
    expect(new Date(stepped!.dueAt!).getTime()).toBeGreaterThan(Date.now())
    // The reminder moved by the same amount as due_at (4 days).
    expect(stepped?.remindAt).toBe(iso(remindAt + 4 * DAY))
    expect(await getTodo(viewer, created.id)).toEqual(stepped)
  })

  it('keeps 09:00 New York across the DST change (floating wall-clock time)', async () => {
    const viewer = await viewerIn('America/New_York')
    // 2027-03-14: New York springs forward. 09:00 EST on the 13th is 14:00Z; 09:00 EDT on the 14th is 13:00Z.
    const created = await createTodo(viewer, {
      contents: 'standup',
      isDone: false,
      dueAt: new Date('2027-03-13T14:00:00Z'),
      repeat: 'FREQ=DAILY',
    })
    const stepped = await updateTodo(viewer, created.id, { isDone: true })
    // Completed now (before 2027): the next occurrence is the day after the due date.
    expect(stepped?.dueAt).toBe('2027-03-14T13:00:00Z')
    const again = await updateTodo(viewer, created.id, { isDone: true })
    expect(again?.dueAt).toBe('2027-03-15T13:00:00Z')
  })

  it('COUNT runs down and the last completion marks it done; UNTIL ends it too', async () => {
    const viewer = await viewerIn('Europe/Berlin')
    const counted = await createTodo(viewer, {
      contents: 'three lessons',
      isDone: false,
      dueAt: new Date('2027-01-04T08:00:00Z'),
      repeat: 'FREQ=WEEKLY;COUNT=3',
    })
    const second = await updateTodo(viewer, counted.id, { isDone: true })
    expect([second?.dueAt, second?.repeat, second?.isDone]).toEqual(['2027-01-11T08:00:00Z', 'FREQ=WEEKLY;COUNT=2', false])
    const third = await updateTodo(viewer, counted.id, { isDone: true })
    expect([third?.dueAt, third?.repeat, third?.isDone]).toEqual(['2027-01-18T08:00:00Z', 'FREQ=WEEKLY;COUNT=1', false])
    const done = await updateTodo(viewer, counted.id, { isDone: true })
    expect([done?.dueAt, done?.isDone]).toEqual(['2027-01-18T08:00:00Z', true])

    const until = await createTodo(viewer, {
      contents: 'until friday',
      isDone: false,
      dueAt: new Date('2027-01-07T08:00:00Z'),
      repeat: 'FREQ=DAILY;UNTIL=20270108',
    })
    expect((await updateTodo(viewer, until.id, { isDone: true }))?.dueAt).toBe('2027-01-08T08:00:00Z')
    expect((await updateTodo(viewer, until.id, { isDone: true }))?.isDone).toBe(true)
  })

  it('completing all steps repeating todos and marks the rest done', async () => {
    const viewer = await viewerIn('UTC')
    const plain = await createTodo(viewer, { contents: 'plain', isDone: false })
    const daily = await createTodo(viewer, {
      contents: 'daily',
      isDone: false,
      dueAt: new Date('2027-02-01T09:00:00Z'),
      repeat: 'FREQ=DAILY',
    })
    expect(await setAllDone(viewer, true)).toBe(2)
    expect((await getTodo(viewer, plain.id))?.isDone).toBe(true)
    expect(await getTodo(viewer, daily.id)).toMatchObject({ isDone: false, dueAt: '2027-02-02T09:00:00Z' })
  })

  it('two concurrent completions step it twice, never from a stale due time', async () => {
    const viewer = await viewerIn('UTC')
    const created = await createTodo(viewer, {
      contents: 'race',
      isDone: false,
      dueAt: new Date('2027-05-01T09:00:00Z'),
      repeat: 'FREQ=DAILY',
    })
    await Promise.all([updateTodo(viewer, created.id, { isDone: true }), updateTodo(viewer, created.id, { isDone: true })])
    expect((await getTodo(viewer, created.id))?.dueAt).toBe('2027-05-03T09:00:00Z')
  })
})

describe('Today and Upcoming', () => {
  it('Today: open todos due before tomorrow in the viewer’s zone, overdue included, by due time; counted right', async () => {
    const viewer = await viewerIn('Asia/Seoul')
    const { startOfToday, startOfTomorrow } = dueWindows('Asia/Seoul')
    const at = (ms: number) => new Date(ms)
    const overdue = await createTodo(viewer, { contents: 'overdue', isDone: false, dueAt: at(startOfToday.getTime() - DAY) })
    const late = await createTodo(viewer, { contents: 'late today', isDone: false, dueAt: at(startOfTomorrow.getTime() - 1000) })
    const early = await createTodo(viewer, { contents: 'early today', isDone: false, dueAt: at(startOfToday.getTime()) })
    await createTodo(viewer, { contents: 'tomorrow', isDone: false, dueAt: startOfTomorrow })
    await createTodo(viewer, { contents: 'done today', isDone: true, dueAt: at(startOfToday.getTime() + HOUR) })
    await createTodo(viewer, { contents: 'no date', isDone: false })

    const today = await listTodos(viewer, { filter: 'today' })
    expect(today?.todos.map((t) => t.contents)).toEqual([overdue.contents, early.contents, late.contents])
    expect([today?.matchingCount, today?.activeCount, today?.completedCount, today?.pageCount]).toEqual([3, 5, 1, 1])

    const upcoming = await listTodos(viewer, { filter: 'upcoming' })
    expect(upcoming?.todos.map((t) => t.contents)).toEqual(['early today', 'late today', 'tomorrow'])
    expect(upcoming?.matchingCount).toBe(3)

    // Completing one takes it out of Today at once (the cache is voided by the write).
    await updateTodo(viewer, late.id, { isDone: true })
    expect((await listTodos(viewer, { filter: 'today' }))?.matchingCount).toBe(2)
  })

  it('a different zone cuts a different day', async () => {
    const viewer = await viewerIn('Pacific/Kiritimati') // UTC+14
    const seoulTomorrow = dueWindows('UTC').startOfTomorrow
    await createTodo(viewer, { contents: 'utc tomorrow', isDone: false, dueAt: new Date(seoulTomorrow.getTime() + HOUR) })
    const inKiritimati = await listTodos(viewer, { filter: 'today' })
    const kiritimatiTomorrow = dueWindows('Pacific/Kiritimati').startOfTomorrow
    expect(inKiritimati?.matchingCount).toBe(seoulTomorrow.getTime() + HOUR < kiritimatiTomorrow.getTime() ? 1 : 0)
    expect((await findAccount(viewer.id))?.timeZone).toBe('Pacific/Kiritimati')
  })

  it('reads the (user_id, is_done, due_at) index in due order, without a filesort (EXPLAIN)', async () => {
    const viewer = await viewerIn('UTC')
    const windows = dueWindows('UTC')
    const query = todoPageQuery(viewer.id, 'today', 1, windows).toSQL()
    const [plan] = (await db.execute(sql.raw(`EXPLAIN ${interpolate(query.sql, query.params)}`))) as unknown as [
      { table: string; key: string | null; Extra: string | null }[],
    ]
    const derived = plan.find((row) => row.key === 'todo_user_id_is_done_due_at_idx')
    console.info('EXPLAIN Today page:\n' + plan.map((row) => `${row.table} key=${row.key} ${row.Extra ?? ''}`).join('\n'))
    expect(derived, JSON.stringify(plan)).toBeDefined()
    expect(derived?.Extra ?? '').not.toMatch(/filesort/)
  })

  it('the API list filters by due range: due_after ≤ due_at < due_before', async () => {
    const viewer = await viewerIn('UTC')
    const a = await createTodo(viewer, { contents: 'a', isDone: false, dueAt: new Date('2027-06-01T00:00:00Z') })
    const b = await createTodo(viewer, { contents: 'b', isDone: false, dueAt: new Date('2027-06-02T00:00:00Z') })
    await createTodo(viewer, { contents: 'none', isDone: false })
    expect(await listAllTodos(viewer, 'ASC', { dueBefore: new Date('2027-06-02T00:00:00Z') })).toEqual([a])
    expect(await listAllTodos(viewer, 'ASC', { dueAfter: new Date('2027-06-01T00:00:01Z') })).toEqual([b])
    expect(await listAllTodos(viewer, 'DESC', { dueAfter: new Date('2027-06-01T00:00:00Z') })).toEqual([b, a])
    expect(await listAllTodos(viewer)).toHaveLength(3)
  })
})

function interpolate(text: string, params: unknown[]): string {
  let i = 0
  return text.replace(/\?/g, () => {
    const value = params[i++]
    if (typeof value === 'number') return String(value)
    if (typeof value === 'boolean') return value ? '1' : '0'
    return `'${String(value).replace(/'/g, "''")}'`
  })
}
