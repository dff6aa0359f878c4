import { afterEach, describe, expect, it, vi } from 'vitest'

// env.ts validates process.env once, at import: each case imports a fresh copy.
async function loadWith(nodes: string | undefined) {
  vi.resetModules()
  vi.stubEnv('REDIS_CLUSTER_NODES', nodes)
  return (await import('./env')).env
}

describe('REDIS_CLUSTER_NODES', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('is unset, or empty, by default: one Redis at REDIS_URL', async () => {
    expect((await loadWith(undefined)).REDIS_CLUSTER_NODES).toBeUndefined()
    expect((await loadWith('  ')).REDIS_CLUSTER_NODES).toBeUndefined()
  })

  it('reads host:port pairs, names and IPv6 addresses included', async () => {
    expect((await loadWith('127.0.0.1:7001, redis-a.internal:7002,[::1]:7003')).REDIS_CLUSTER_NODES).toEqual([
      { host: '127.0.0.1', port: 7001 },
      { host: 'redis-a.internal', port: 7002 },
      { host: '::1', port: 7003 },
    ])
  })

  it.each(['127.0.0.1', '127.0.0.1:', ':7001', '127.0.0.1:70000', '127.0.0.1:0', 'redis://127.0.0.1:7001', '127.0.0.1:7001,,'])(
    'refuses %j at start-up with a message naming the variable',
    async (value) => {
      await expect(loadWith(value)).rejects.toThrow(/REDIS_CLUSTER_NODES: must be host:port,host:port/)
    },
  )
})

describe('EMAIL_WORKER_CONCURRENCY and REMINDER_WORKER_CONCURRENCY', () => {
  afterEach(() => vi.unstubAllEnvs())

  async function loadConcurrency(email: string | undefined, reminders: string | undefined) {
    vi.resetModules()
    vi.stubEnv('EMAIL_WORKER_CONCURRENCY', email)
    vi.stubEnv('REMINDER_WORKER_CONCURRENCY', reminders)
    const { env } = await import('./env')
    return [env.EMAIL_WORKER_CONCURRENCY, env.REMINDER_WORKER_CONCURRENCY]
  }

  it('default to 16 emails and 4 reminder jobs at once', async () => {
    expect(await loadConcurrency(undefined, undefined)).toEqual([16, 4])
  })

  it('read whole numbers from 1 to 100', async () => {
    expect(await loadConcurrency('16', '1')).toEqual([16, 1])
    expect(await loadConcurrency('100', '100')).toEqual([100, 100])
  })

  it.each(['0', '101', '2.5', 'many', '-4'])('refuse %j at start-up, naming the variable', async (value) => {
    await expect(loadConcurrency(value, undefined)).rejects.toThrow(/EMAIL_WORKER_CONCURRENCY/)
    await expect(loadConcurrency(undefined, value)).rejects.toThrow(/REMINDER_WORKER_CONCURRENCY/)
  })
})
