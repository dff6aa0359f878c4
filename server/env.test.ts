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
