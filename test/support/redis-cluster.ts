import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { waitFor } from './wait'

const run = promisify(execFile)

export type RedisCluster = {
  /** The nodes, as REDIS_CLUSTER_NODES wants them and as ioredis' `Cluster` takes them. */
  nodes: { host: string; port: number }[]
  /** `host:port,host:port,…` */
  nodesEnv: string
  /** Kills the node on `port` at once (SIGKILL), as a crash would. */
  kill: (port: number) => Promise<void>
  stop: () => Promise<void>
}

/**
 * A throwaway Redis Cluster from Debian's redis-server: 3 primaries and 3 replicas on `ports`
 * (6 of them; each also takes port + 10000 for the cluster bus), nothing kept on disk after stop().
 */
export async function startRedisCluster(ports: number[]): Promise<RedisCluster> {
  if (ports.length !== 6) throw new Error('a 3 + 3 cluster needs 6 ports')
  const dir = await mkdtemp(path.join(tmpdir(), 'redis-cluster-'))
  const children: ChildProcess[] = []
  const killed = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  // Nodes must not outlive the test process, even when it ends without running stop().
  const onExit = () => children.forEach((child) => child.kill('SIGKILL'))
  process.once('exit', onExit)
  const stop = async () => {
    process.off('exit', onExit)
    await Promise.all(children.map(killed))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const taken = (await Promise.all(ports.map(async (port) => ((await ping(port)) ? [port] : [])))).flat()
    if (taken.length > 0) throw new Error(`ports ${taken.join(', ')} already have a Redis (left over from an earlier run?)`)
    for (const port of ports) {
      children.push(
        spawn(
          'redis-server',
          [
            '--port', String(port), '--bind', '127.0.0.1',
            '--cluster-enabled', 'yes', '--cluster-node-timeout', '2000',
            '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--dir', dir,
            '--save', '', '--appendonly', 'no',
            // Replicas sync at once (the default waits 5 s for more replicas to share one transfer):
            // a replica that never synced refuses to take over from a crashed primary.
            '--repl-diskless-sync-delay', '0',
          ],
          { stdio: 'ignore' },
        ),
      )
    }
    await waitFor('redis-server nodes to start', async () => (await Promise.all(ports.map(ping))).every(Boolean), 10_000)
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes'])
    await waitFor('cluster_state:ok on every node', async () => (await Promise.all(ports.map(clusterOk))).every(Boolean), 20_000)
    await waitFor('every replica in sync', async () => (await Promise.all(ports.map(synced))).every(Boolean), 20_000)
  } catch (error) {
    await stop()
    throw error
  }
  const nodes = ports.map((port) => ({ host: '127.0.0.1', port }))
  const kill = async (port: number) => {
    const child = children[ports.indexOf(port)]
    if (child) await killed(child)
  }
  return { nodes, nodesEnv: nodes.map(({ host, port }) => `${host}:${port}`).join(','), kill, stop }
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  try {
    return (await run('redis-cli', ['-p', String(port), ...args], { timeout: 2_000 })).stdout
  } catch {
    return ''
  }
}
const ping = async (port: number) => (await redisCli(port, 'ping')).trim() === 'PONG'
/** A primary, or a replica whose link to its primary is up. */
const synced = async (port: number) => {
  const info = await redisCli(port, 'info', 'replication')
  return info.includes('role:master') || info.includes('master_link_status:up')
}
const clusterOk = async (port: number) => (await redisCli(port, 'cluster', 'info')).includes('cluster_state:ok')
