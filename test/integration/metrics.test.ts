import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase } from '@/db/client'
import { GET as ready } from '@/app/api/ready/route'
import { pool } from '@/server/db'
import { dataFunction } from '@/server/db-errors'
import { metrics } from '@/server/metrics'
import { listTodos } from '@/server/todos'
import { parsePrometheus, total } from '../../bench/lib/prometheus'
import { createTestViewer } from '../support/users'

const unreachable = createDatabase('mysql://root@127.0.0.1:1/nowhere', 1)
afterAll(() => unreachable.pool.end())

async function read(name: string, where: Record<string, string> = {}): Promise<number> {
  return total(parsePrometheus(await metrics.registry.metrics()), name, where)
}

describe('metrics from the data layer, the cache and the queues (real MariaDB and Redis)', () => {
  it('counts MariaDB errors by kind in dataFunction, and nothing for a call that worked', async () => {
    const query = await read('todos_database_errors_total', { kind: 'query' })
    const unavailable = await read('todos_database_errors_total', { kind: 'unavailable' })
    await dataFunction(() => pool.query('SELECT 1'))()
    await expect(dataFunction(() => pool.query('SELEC 1'))()).rejects.toThrow()
    await expect(dataFunction(() => unreachable.pool.query('SELECT 1'))()).rejects.toThrow('The database is unavailable')
    // The app's own errors are not database errors.
    await expect(dataFunction(async () => Promise.reject(new RangeError('a rule')))()).rejects.toThrow('a rule')
    expect(await read('todos_database_errors_total', { kind: 'query' })).toBe(query + 1)
    expect(await read('todos_database_errors_total', { kind: 'unavailable' })).toBe(unavailable + 1)
  })

  it('follows the cache: a miss, then hits, for one user’s list', async () => {
    const viewer = await createTestViewer('metrics')
    const [hits, misses] = [await read('todos_cache_hits_total'), await read('todos_cache_misses_total')]
    await listTodos(viewer)
    await listTodos(viewer)
    await listTodos(viewer)
    expect(await read('todos_cache_misses_total')).toBeGreaterThanOrEqual(misses + 1)
    expect(await read('todos_cache_hits_total')).toBeGreaterThanOrEqual(hits + 2)
    expect(await read('todos_cache_redis_up')).toBe(1)
  })

  it('reads the queues’ depth from Redis at the scrape', async () => {
    const samples = parsePrometheus(await metrics.registry.metrics())
    for (const queue of ['email', 'reminders']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(samples).toContainEqual(expect.objectContaining({ name: 'todos_queue_jobs', labels: { queue, state } }))
      }
    }
  })

  it('one registry per process, whoever imports it', async () => {
    const again = await import('@/server/metrics')
    const shared = (globalThis as unknown as Record<symbol, typeof metrics | undefined>)[Symbol.for('todos.metrics')]
    expect(again.metrics).toBe(metrics)
    expect(shared?.registry).toBe(metrics.registry)
    metrics.observeRequest('GET', '/api/todos/12', 200, 0.01)
    expect(await read('todos_http_requests_total', { method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1)
  })
})

describe('/api/ready', () => {
  it('200 while MariaDB and Redis answer', async () => {
    const response = await ready()
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ready' })
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})
