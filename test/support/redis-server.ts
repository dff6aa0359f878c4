import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'


/** A throwaway redis-server on `port` (nothing on disk), for tests that stop and start Redis. */
export async function startRedisServer(port: number): Promise<{ stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) {
      return {
        stop: () =>
          new Promise((resolve) => {
            child.once('exit', () => resolve())
            child.kill('SIGKILL')
          }),
      }
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  child.kill('SIGKILL')
  throw new Error(`redis-server did not start on port ${port}`)
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
