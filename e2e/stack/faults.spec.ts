import { randomUUID } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { CODE_SUBJECT, codeIn, mailTo } from '../fixtures'
import {
  APP_URLS,
  expectDatabaseMatches,
  GALERA_PORTS,
  killRedis,
  nodeState,
  redisClusterOk,
  redisPrimaries,
  REDIS_PORTS,
  rowsOf,
  sendOnce,
  sleep,
  stack,
  STACK_URL,
  stackUp,
  stackUser,
  startLoad,
  LoadStats,
  type StackUser,
} from './stack'

// Each test kills one part of the running stack while API writers (e2e/stack/stack.ts) keep
// writing through nginx, brings the part back, and then compares every Galera node with what the
// API acknowledged: nothing lost, nothing doubled. The writers send each write with an
// Idempotency-Key and send it again after a failure, as the page's outbox does. The tests run
// one after the other (the project is not fully parallel: playwright.stack.config.ts).

// Whatever a test killed and did not bring back (it failed half-way) is started again, so that
// the next one begins on a whole stack.
test.beforeEach(() => stackUp())
test.afterEach(() => stackUp())

const users = (prefix: string, count = 3) => Promise.all(Array.from({ length: count }, () => stackUser(prefix)))

/** Verifies a fresh address for `user` through the API (a code by email), for reminders. */
async function verifiedEmail(user: StackUser): Promise<string> {
  const email = `${user.username}@example.test`.toLowerCase()
  const sent = await fetch(`${STACK_URL}/api/users/email/otp`, { method: 'POST', headers: user.headers, body: JSON.stringify({ email }) })
  expect(sent.status).toBe(202)
  const code = codeIn((await mailTo(email, 1, CODE_SUBJECT, 20_000))[0])
  const verified = await fetch(`${STACK_URL}/api/users/email/otp/verify`, {
    method: 'POST',
    headers: user.headers,
    body: JSON.stringify({ email, otp: code }),
  })
  expect(verified.status).toBe(200)
  return email
}

/** HAProxy's stats page (CSV): one row per Galera node, its columns by name. */
async function haproxyNodes(): Promise<Record<string, Record<string, string>>> {
  const csv = await (await fetch('http://127.0.0.1:3389/;csv')).text()
  const [header, ...lines] = csv.trim().split('\n')
  const columns = header!.replace(/^# /, '').split(',')
  const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])))
  return Object.fromEntries(rows.filter((row) => row.pxname === 'galera' && /^node\d$/.test(row.svname!)).map((row) => [row.svname!, row]))
}

/** HAProxy's view of a Galera node: UP, DOWN, … */
const haproxyStatus = async (node: string) => (await haproxyNodes())[node]?.status ?? 'missing'

test('a Redis primary killed under load: its replica takes over, writes succeed again within seconds, each reminder is sent once', async () => {
  test.setTimeout(240_000)
  const writers = await users('redis_fault')
  const reminded = await stackUser('reminded')
  const email = await verifiedEmail(reminded)
  // Five reminders due while the cluster fails over.
  const firstDue = Math.ceil((Date.now() + 8_000) / 1000) * 1000
  const reminders: string[] = []
  for (let i = 0; i < 5; i++) {
    const contents = `remind me ${i} ${randomUUID().slice(0, 6)}`
    const remindAt = new Date(firstDue + i * 1_000).toISOString()
    const response = await sendOnce(
      `${STACK_URL}/api/todos`,
      { method: 'POST', headers: reminded.headers, body: JSON.stringify({ contents, remind_at: remindAt }) },
      new LoadStats(),
    )
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    reminders.push(contents)
  }

  const load = startLoad(writers)
  await sleep(2_000)
  const [victim] = await redisPrimaries()
  await killRedis(victim!)
  // A replica is promoted: three primaries again, the killed one not among them.
  await expect
    .poll(async () => {
      const primaries = await redisPrimaries()
      return primaries.length === 3 && !primaries.includes(victim!)
    }, { timeout: 30_000, message: `a replica of ${victim} takes over` })
    .toBe(true)
  await sleep(5_000)
  const stats = await load.stop()
  console.info(`Redis primary ${victim} killed: ${stats}`)
  expect(stats.longestOutageMs).toBeLessThan(15_000)
  await expectDatabaseMatches(load.model)

  // Every reminder arrives once: wait for all five, then long enough for a second of any (the
  // sweep runs every 5 s on the stack), and count again.
  const REMINDER = 'Reminder from Todos'
  expect(await mailTo(email, 5, REMINDER, 90_000)).toHaveLength(5)
  await sleep(12_000)
  const received = await mailTo(email, 5, REMINDER, 0)
  for (const contents of reminders) expect(received.filter((mail) => mail.text.includes(contents)), contents).toHaveLength(1)
  expect(received).toHaveLength(5)
  // Besides: the code and the "verified" notice, once each.
  const others = (await mailTo(email, 0, undefined, 0)).filter((mail) => mail.subject !== REMINDER).map((mail) => mail.subject)
  expect(others.sort()).toEqual(['Your Todos email address is verified', 'Your Todos verification code'])

  // The killed node comes back as a replica of the node that took over.
  // (It believes itself a primary for a moment, until the cluster tells it otherwise.)
  await stack('start', 'redis')
  await expect.poll(async () => (await redisPrimaries()).includes(victim!) || (await redisPrimaries()).length !== 3, { timeout: 20_000 }).toBe(false)
  for (const port of REDIS_PORTS) expect(await redisClusterOk(port)).toBe(true)
})

test('a Galera node killed under load, then restarted: HAProxy drains it, it rejoins and catches up', async () => {
  test.setTimeout(240_000)
  const load = startLoad(await users('galera_fault'))
  await sleep(2_000)
  await stack('kill', 'galera-2')
  await expect.poll(() => haproxyStatus('node2'), { timeout: 10_000 }).toMatch(/^DOWN/)
  await sleep(4_000) // writes go on through the other two
  await stack('start', 'galera-2') // returns once the node is Synced again
  expect(await nodeState(3312)).toBe('Synced')
  await expect.poll(() => haproxyStatus('node2'), { timeout: 10_000 }).toBe('UP')
  await sleep(3_000) // and HAProxy sends it work again
  const stats = await load.stop()
  console.info(`Galera node 2 killed and restarted: ${stats}`)
  expect(stats.longestOutageMs).toBeLessThan(15_000)
  // Every node, the one that was dead included, holds exactly what was acknowledged.
  await expectDatabaseMatches(load.model)
})

test('an app instance killed mid-request, then a rolling restart of both: nothing lost or doubled', async () => {
  test.setTimeout(300_000)
  const load = startLoad(await users('app_fault'))
  await sleep(2_000)
  await stack('kill', 'app-1') // SIGKILL: the requests it was answering get no answer
  await sleep(3_000)
  await stack('start', 'app-1')
  const killed = load.stats.toString()
  // Rolling restart: SIGTERM (the instance finishes what it has, says "stopping" to /api/ready),
  // start it again, then the other.
  for (const app of ['app-1', 'app-2']) {
    await stack('stop', app)
    await stack('start', app)
    await sleep(1_000)
  }
  const stats = await load.stop()
  console.info(`app-1 killed (${killed}), then both restarted in turn: ${stats}`)
  expect(stats.longestOutageMs).toBeLessThan(10_000)
  await expectDatabaseMatches(load.model)
})

test('concurrent writes to one user through both instances and different Galera nodes: every answer right, every node the same', async () => {
  test.setTimeout(180_000)
  const user = await stackUser('concurrent')
  const shared: number[] = []
  for (let i = 0; i < 8; i++) {
    const response = await fetch(`${STACK_URL}/api/todos`, { method: 'POST', headers: user.headers, body: JSON.stringify({ contents: `shared ${i}` }) })
    expect(response.status).toBe(201)
    shared.push(((await response.json()) as { id: number }).id)
  }
  // 2 instances × 6 clients, each renaming and ticking shared todos (a transaction with a row lock:
  // the same rows from different nodes conflict at certification) and adding its own.
  const acknowledged = new Map<number, Set<string>>(shared.map((id) => [id, new Set([`shared ${shared.indexOf(id)}`])]))
  const created: { id: number; contents: string }[] = []
  const statuses: number[] = []
  await Promise.all(
    APP_URLS.flatMap((url, instance) =>
      Array.from({ length: 6 }, async (_, client) => {
        for (let step = 0; step < 12; step++) {
          const id = shared[(client + step + instance) % shared.length]!
          const contents = `i${instance} c${client} s${step}`
          const patch = await fetch(`${url}/api/todos/${id}`, {
            method: 'PATCH',
            headers: user.headers,
            body: JSON.stringify({ contents, is_done: step % 2 === 0 }),
          })
          statuses.push(patch.status)
          if (patch.ok) acknowledged.get(id)!.add(contents)
          await patch.body?.cancel()
          if (step % 4 === 0) {
            const add = await fetch(`${url}/api/todos`, { method: 'POST', headers: user.headers, body: JSON.stringify({ contents: `own ${contents}` }) })
            statuses.push(add.status)
            if (add.ok) created.push((await add.json()) as { id: number; contents: string })
          }
        }
      }),
    ),
  )
  // No conflict surfaced to a client: Galera's aborts were retried inside the data layer.
  expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([])
  // The instances' pools reach the cluster through HAProxy (leastconn): on more than one node.
  const sessions = Object.fromEntries(Object.entries(await haproxyNodes()).map(([node, row]) => [node, Number(row.scur)]))
  console.info(`concurrent writes: ${statuses.length} answered; database connections per node ${JSON.stringify(sessions)}`)
  expect(Object.values(sessions).filter((open) => open > 0).length).toBeGreaterThanOrEqual(2)

  // Every node holds the same rows; each shared todo ends with one of the texts acknowledged for
  // it; every todo added is there once.
  const [first, ...others] = await Promise.all(GALERA_PORTS.map((port) => rowsOf(port, user.id)))
  for (const rows of others) expect(rows).toEqual(first)
  for (const id of shared) expect(acknowledged.get(id)).toContain(first!.find((row) => row.id === id)?.contents)
  const own = first!.filter((row) => row.contents.startsWith('own '))
  expect(own.map((row) => row.id).sort()).toEqual(created.map((todo) => todo.id).sort())
  // Both instances answer the list as the database has it (their caches were filled after the
  // last write was visible on the node they read from).
  for (const url of APP_URLS) {
    const { todos } = (await (await fetch(`${url}/api/todos`, { headers: user.headers })).json()) as { todos: { id: number; contents: string }[] }
    expect(todos.map((todo) => [todo.id, todo.contents])).toEqual(first!.map((row) => [row.id, row.contents]))
  }
})
