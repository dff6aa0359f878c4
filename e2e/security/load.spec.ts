import { isDeepStrictEqual } from 'node:util'
import type { RowDataPacket } from 'mysql2'
import { expect, test, type APIRequestContext } from '@playwright/test'
import { apiUser, type ApiUser } from '../api/client'
import { database } from '../fixtures'

// Integrity under load: 50 clients, each its own user with its own token, make 100 writes each at
// the same time (create, change is_done, change the text, both, delete: chosen by a seeded PRNG),
// and every few writes read their list back. Each client keeps a model of its list built only from
// the server's successful answers. Afterwards every list, through the API (and so the Redis cache)
// and straight from MariaDB, must equal its model exactly, and no request may have had a 5xx.
// The seed is printed; replay a run with LOAD_SEED=<seed>.

const CLIENTS = 50
const WRITES_PER_CLIENT = 100
/** Every this many writes a client reads its list: read-your-writes through the cache, under load. */
const READ_EVERY = 10

// This test writes no due dates: every todo answers them as null.
type Todo = { id: number; contents: string; is_done: boolean; due_at: null; remind_at: null; repeat: null }
const NO_DATES = { due_at: null, remind_at: null, repeat: null } as const

/** mulberry32: a small seeded PRNG, so that a failing run can be replayed exactly. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Well-formed Unicode only: a lone surrogate is stored as U+FFFD, a known difference reported
// (and pinned) in fuzz-api.spec.ts, not what this test is about.
// Control characters (a tab) are refused since todos became one line of plain text.
const WORDS = ['milk', '우유 사기', 'naïve café', '😀🎉', '"quoted"', "it's", '<b>bold</b>', 'back\\slash', 'ｆｕｌｌ ｗｉｄｔｈ']
const FULL = '가'.repeat(256) // the longest text there is: 256 characters, 768 bytes

type Tally = { requests: number; statuses: Map<number, number>; serverErrors: string[]; unexpected: string[] }

/** One client: its own user, WRITES_PER_CLIENT sequential writes, its model of its list. */
async function client(request: APIRequestContext, index: number, user: ApiUser, seed: number, tally: Tally) {
  const random = prng(seed + index)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const model = new Map<number, Todo>()
  const text = (step: number) => (random() < 0.05 ? FULL : `${pick(WORDS)} #${index}.${step}`)

  /** Sends one request, counts its answer, and returns it when it is the expected success. */
  async function send(what: string, call: () => ReturnType<APIRequestContext['fetch']>, expected: number) {
    const response = await call()
    const status = response.status()
    tally.requests++
    tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1)
    const body = status === 204 ? '' : await response.text()
    if (status >= 500) tally.serverErrors.push(`client ${index}: ${what} → ${status} ${body.slice(0, 200)}`)
    else if (status !== expected) tally.unexpected.push(`client ${index}: ${what} → ${status} ${body.slice(0, 200)}`)
    return status === expected ? (body ? (JSON.parse(body) as unknown) : null) : undefined
  }
  /** An answer that is not what was asked for is recorded (a throw here would leave the other clients running). */
  function check(what: string, answer: unknown, intended: unknown) {
    if (!isDeepStrictEqual(answer, intended)) {
      const [got, wanted] = [answer, intended].map((value) => JSON.stringify(value).slice(0, 500))
      tally.unexpected.push(`client ${index}: ${what} answered ${got}, not ${wanted}`)
    }
  }
  const headers = user.headers

  for (let step = 0; step < WRITES_PER_CLIENT; step++) {
    const roll = random()
    const ids = [...model.keys()]
    if (ids.length === 0 || roll < 0.35) {
      const intent = random() < 0.5 ? { contents: text(step) } : { contents: text(step), is_done: random() < 0.5 }
      const created = await send('create', () => request.post('/api/todos', { headers, data: intent }), 201)
      if (created) {
        const todo = created as Todo
        check('create', todo, { id: todo.id, contents: intent.contents, is_done: intent.is_done ?? false, ...NO_DATES })
        model.set(todo.id, todo)
      }
    } else if (roll < 0.9) {
      const id = pick(ids)
      const current = model.get(id) as Todo
      const patch =
        roll < 0.55
          ? { is_done: !current.is_done }
          : roll < 0.75
            ? { contents: text(step) }
            : { contents: text(step), is_done: random() < 0.5 }
      const changed = await send(`patch ${id}`, () => request.patch(`/api/todos/${id}`, { headers, data: patch }), 200)
      if (changed) {
        check(`patch ${id}`, changed, { ...current, ...patch })
        model.set(id, changed as Todo)
      }
    } else {
      const id = pick(ids)
      if ((await send(`delete ${id}`, () => request.delete(`/api/todos/${id}`, { headers }), 204)) !== undefined) {
        model.delete(id)
      }
    }

    if ((step + 1) % READ_EVERY === 0) {
      const listed = await send('list', () => request.get('/api/todos', { headers }), 200)
      if (listed) check(`list after write ${step}`, (listed as { todos: Todo[] }).todos, sorted(model))
    }
  }
  return model
}

const sorted = (model: Map<number, Todo>) => [...model.values()].sort((a, b) => a.id - b.id)

test('50 clients × 100 writes at once: every list ends as its answers said, and no 5xx', async ({ request }) => {
  test.setTimeout(180_000)
  const seed = Number(process.env.LOAD_SEED ?? Math.floor(Math.random() * 2 ** 31))
  // Users first (sign-up and log-in hash with argon2id: not the load being measured).
  const users: ApiUser[] = []
  for (let i = 0; i < CLIENTS; i += 10) {
    users.push(...(await Promise.all(Array.from({ length: 10 }, () => apiUser(request, 'load')))))
  }

  const tally: Tally = { requests: 0, statuses: new Map(), serverErrors: [], unexpected: [] }
  const started = performance.now()
  const models = await Promise.all(users.map((user, index) => client(request, index, user, seed, tally)))
  const seconds = (performance.now() - started) / 1000
  const statuses = [...tally.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`)
  console.info(
    `[load] seed ${seed}: ${CLIENTS} clients × ${WRITES_PER_CLIENT} writes, ${tally.requests} requests in ` +
      `${seconds.toFixed(1)} s = ${(tally.requests / seconds).toFixed(0)} requests/s (${statuses.join(' ')})`,
  )

  expect(tally.serverErrors, `5xx answers (seed ${seed})`).toEqual([])
  expect(tally.unexpected, `answers other than the success asked for (seed ${seed})`).toEqual([])

  // Through the API (the cache, if it holds the list), in both orders.
  for (const [index, user] of users.entries()) {
    const expected = sorted(models[index] as Map<number, Todo>)
    const ascending = await (await request.get('/api/todos', { headers: user.headers })).json()
    expect(ascending.todos, `client ${index}'s list (seed ${seed})`).toEqual(expected)
    const descending = await (await request.get('/api/todos?order=DESC', { headers: user.headers })).json()
    expect(descending.todos, `client ${index}'s list, newest first (seed ${seed})`).toEqual(expected.toReversed())
  }

  // Straight from MariaDB: no row lost, duplicated, or given to another user. A delete moves the
  // row to the trash (deleted_at set), so the live rows are the ones without it.
  const [rows] = await database().query<RowDataPacket[]>(
    'SELECT id, contents, is_done, due_at, remind_at, `repeat`, user_id FROM todo WHERE user_id IN (?) AND deleted_at IS NULL ORDER BY id',
    [users.map((user) => user.id)],
  )
  for (const [index, user] of users.entries()) {
    const stored = rows
      .filter((row) => row.user_id === user.id)
      .map((row) => ({ id: row.id, contents: row.contents, is_done: row.is_done === 1, due_at: row.due_at, remind_at: row.remind_at, repeat: row.repeat }))
    const expected = sorted(models[index] as Map<number, Todo>)
    expect(stored, `client ${index}'s rows in MariaDB (seed ${seed})`).toEqual(expected)
  }
})
