// Helpers of the stack's fault tests: the stack's parts (deploy/stack.sh), its databases, and a
// load of API writers whose acknowledged writes are the model the database is compared with.
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import { expect } from '@playwright/test'
import { PASSWORD } from '../fixtures'
import { secret } from '../secrets'

const run = promisify(execFile)
export const STACK_URL = 'http://127.0.0.1:3400'
export const APP_URLS = ['http://127.0.0.1:3401', 'http://127.0.0.1:3402'] as const

/** `deploy/stack.sh <command> <part>`: start, stop (SIGTERM, waits), kill (SIGKILL). */
export async function stack(command: 'start' | 'stop' | 'kill', part: string): Promise<void> {
  await run('deploy/stack.sh', [command, part], { timeout: 180_000 })
}

/** `deploy/stack.sh up`: whatever a test left down starts again (a no-op when all is up). */
export async function stackUp(): Promise<void> {
  await run('deploy/stack.sh', ['up'], { timeout: 300_000 })
}

// --- Galera ------------------------------------------------------------------------------------------

export const GALERA_PORTS = [3311, 3312, 3313] as const

/** A query on one Galera node, straight (not through HAProxy), as root. */
export async function onNode<T>(port: number, sql: string, values: unknown[] = []): Promise<T[]> {
  const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database: 'todos', connectTimeout: 2_000 })
  try {
    const [rows] = await connection.query(sql, values)
    return rows as T[]
  } finally {
    await connection.end()
  }
}

export async function nodeState(port: number): Promise<string> {
  try {
    const [row] = await onNode<{ Value: string }>(port, "SHOW STATUS LIKE 'wsrep_local_state_comment'")
    return row?.Value ?? 'unknown'
  } catch {
    return 'down'
  }
}

// --- Redis Cluster ---------------------------------------------------------------------------------------

export const REDIS_PORTS = [7001, 7002, 7003, 7004, 7005, 7006] as const

async function redisCli(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 5_000 })).stdout
}

/** The ports of the nodes that are primaries now (a failover changes them), seen from a live node. */
export async function redisPrimaries(): Promise<number[]> {
  for (const port of REDIS_PORTS) {
    try {
      const nodes = await redisCli(port, 'cluster', 'nodes')
      return nodes
        .split('\n')
        .filter((line) => /\bmaster\b/.test(line) && !/\bfail\b/.test(line))
        .map((line) => Number(/127\.0\.0\.1:(\d+)@/.exec(line)?.[1]))
        .filter((p) => p > 0)
        .sort()
    } catch {
      // that node is down: ask the next
    }
  }
  throw new Error('no Redis node answers')
}

export async function killRedis(port: number): Promise<void> {
  const pid = Number(readFileSync(`.redis-cluster/7001/redis-${port}.pid`, 'utf8'))
  process.kill(pid, 'SIGKILL')
}

export async function redisClusterOk(port: number): Promise<boolean> {
  try {
    return (await redisCli(port, 'cluster', 'info')).includes('cluster_state:ok')
  } catch {
    return false
  }
}

// --- Users and their writes --------------------------------------------------------------------------------

export type StackUser = { id: number; username: string; headers: Record<string, string> }

export async function stackUser(prefix: string): Promise<StackUser> {
  const username = `${prefix}_${randomUUID().slice(0, 12).replace(/-/g, '')}`
  const signUp = await fetch(`${STACK_URL}/api/users/sign-up`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  expect(signUp.status).toBe(201)
  const { id } = (await signUp.json()) as { id: number }
  const logIn = await fetch(`${STACK_URL}/api/users/log-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  expect(logIn.status).toBe(200)
  const { access_token: token } = (await logIn.json()) as { access_token: string }
  return { id, username, headers: { Authorization: `Bearer ${secret(token)}`, 'Content-Type': 'application/json' } }
}

type Todo = { id: number; contents: string; is_done: boolean }

/**
 * One API call with an Idempotency-Key, sent again (same key) after a failure, a 5xx, a timeout
 * or an answer cut short, for up to `patienceMs`: the status and JSON body of the first attempt
 * that is answered in full. A write whose answer was lost is applied once however often it is
 * sent: that is what the keys are for.
 */
export async function sendOnce(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  stats: LoadStats,
  patienceMs = 30_000,
): Promise<{ status: number; body: unknown }> {
  const key = randomUUID()
  const deadline = Date.now() + patienceMs
  for (let attempt = 0; ; attempt++) {
    const sentAt = Date.now()
    try {
      const response = await fetch(url, {
        ...init,
        headers: { ...init.headers, 'Idempotency-Key': key },
        signal: AbortSignal.timeout(10_000),
      })
      const text = await response.text()
      if (response.status < 500) {
        stats.succeeded(sentAt, attempt)
        return { status: response.status, body: text ? JSON.parse(text) : null }
      }
      stats.failed(sentAt, `${response.status}`)
    } catch (error) {
      stats.failed(sentAt, (error as Error).name === 'TimeoutError' ? 'timeout' : 'network')
    }
    if (Date.now() > deadline) throw new Error(`${init.method} ${url}: no success in ${patienceMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200))
  }
}

/** What a load saw: failures by kind, retries, and the longest time without a single success. */
export class LoadStats {
  failures: Record<string, number> = {}
  requests = 0
  retried = 0
  private lastSuccess = Date.now()
  private firstFailureSinceSuccess: number | null = null
  longestOutageMs = 0

  succeeded(sentAt: number, attempt: number) {
    this.requests++
    if (attempt > 0) this.retried++
    if (this.firstFailureSinceSuccess !== null) {
      this.longestOutageMs = Math.max(this.longestOutageMs, Date.now() - this.firstFailureSinceSuccess)
      this.firstFailureSinceSuccess = null
    }
    this.lastSuccess = Math.max(this.lastSuccess, sentAt)
  }

  failed(sentAt: number, kind: string) {
    this.requests++
    this.failures[kind] = (this.failures[kind] ?? 0) + 1
    this.firstFailureSinceSuccess ??= sentAt
  }

  get failureCount() {
    return Object.values(this.failures).reduce((sum, n) => sum + n, 0)
  }

  toString() {
    return `${this.requests} requests, ${this.failureCount} failed ${JSON.stringify(this.failures)}, ${this.retried} writes needed a retry, longest outage ${this.longestOutageMs} ms`
  }
}

/**
 * Writers, one per user, each adding todos and ticking earlier ones through `urls` in turn until
 * stop() is called. The model: for every user, each todo the API acknowledged, with the state
 * its last acknowledged change gave it.
 */
export function startLoad(users: StackUser[], urls: readonly string[] = [STACK_URL]) {
  const stats = new LoadStats()
  const model = new Map<number, Map<number, Todo>>(users.map((user) => [user.id, new Map()]))
  let running = true
  let step = 0
  const writer = async (user: StackUser) => {
    const todos = model.get(user.id)!
    while (running) {
      const url = urls[step++ % urls.length]!
      if (todos.size === 0 || Math.random() < 0.6) {
        const contents = `load ${randomUUID().slice(0, 8)}`
        const response = await sendOnce(`${url}/api/todos`, { method: 'POST', headers: user.headers, body: JSON.stringify({ contents }) }, stats)
        expect(response.status).toBe(201)
        const created = response.body as Todo
        todos.set(created.id, created)
      } else {
        const ids = [...todos.keys()]
        const id = ids[Math.floor(Math.random() * ids.length)]!
        const isDone = !todos.get(id)!.is_done
        const response = await sendOnce(
          `${url}/api/todos/${id}`,
          { method: 'PATCH', headers: user.headers, body: JSON.stringify({ is_done: isDone }) },
          stats,
        )
        expect(response.status).toBe(200)
        todos.set(id, response.body as Todo)
      }
    }
  }
  const done = Promise.all(users.map(writer))
  return {
    stats,
    model,
    /** Lets every writer finish the write it is on, then resolves. */
    async stop() {
      running = false
      await done
      return stats
    },
  }
}

/** The user's live todos as a node (or HAProxy) has them, by id. */
export async function rowsOf(port: number, userId: number): Promise<Todo[]> {
  const rows = await onNode<{ id: number; contents: string; is_done: number }>(
    port,
    'SELECT id, contents, is_done FROM todo WHERE user_id = ? AND deleted_at IS NULL ORDER BY id',
    [userId],
  )
  return rows.map((row) => ({ id: row.id, contents: row.contents, is_done: row.is_done === 1 }))
}

/** Every node has exactly what the API acknowledged: nothing lost, nothing doubled, no stale state. */
export async function expectDatabaseMatches(model: Map<number, Map<number, Todo>>, ports: readonly number[] = GALERA_PORTS) {
  for (const [userId, todos] of model) {
    const expected = [...todos.values()]
      .sort((a, b) => a.id - b.id)
      .map((todo) => ({ id: todo.id, contents: todo.contents, is_done: todo.is_done }))
    for (const port of ports) {
      // A node applies what others certified a moment later: wait for it, briefly.
      await expect.poll(() => rowsOf(port, userId), { message: `user ${userId} on node ${port}`, timeout: 10_000 }).toEqual(expected)
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
