import net from 'node:net'

export type TcpProxy = {
  stop: () => Promise<void>
  /** Holds every byte in both directions: to the app, a server that stopped answering. */
  pause: () => void
  resume: () => void
}

/**
 * A loopback TCP relay to a real server. Stopping it cuts every open connection and refuses new
 * ones: to the app, exactly what a database going away looks like, without stopping the database
 * that other tests are using.
 */
export function startTcpProxy(listenPort: number, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  let paused = false
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      if (paused) socket.pause()
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => socket.destroy())
    }
    client.pipe(upstream).pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(listenPort, '127.0.0.1', () =>
      resolve({
        pause: () => {
          paused = true
          for (const socket of sockets) socket.pause()
        },
        resume: () => {
          paused = false
          for (const socket of sockets) socket.resume()
        },
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          }),
      }),
    )
  })
}
