// A stand-in Redis for the cache-off instance: it completes the client's handshake (so ioredis
// stays `ready`) and answers every other command with an error, so each cache read fails at once
// and the app serves the list from MariaDB, storing nothing.
//
// Why not simply a closed port: the app's redis() (server/redis.ts) waits up to 500 ms for the
// connection whenever ioredis is `connecting`, and with Redis refused ioredis reconnects every
// second: each attempt stalls every request that arrives meanwhile for 500 ms, which would be
// measured as the cost of the uncached list.
import net from 'node:net'

const INFO = '# Server\r\nredis_version:5.0.0\r\nloading:0\r\n'
const REFUSAL = '-ERR the cache is off for this benchmark\r\n'

/** The handshake's replies; ioredis asks for RESP3 with HELLO and falls back to RESP2 when it is unknown. */
function reply(command: string): string {
  if (command === 'INFO') return `$${Buffer.byteLength(INFO)}\r\n${INFO}\r\n`
  if (command === 'HELLO') return "-ERR unknown command 'HELLO'\r\n"
  return REFUSAL
}

/** How many bytes the first complete RESP command in `buffer` spans, and its name; null if incomplete. */
function nextCommand(buffer: Buffer): { length: number; name: string } | null {
  const lineEnd = (from: number) => {
    const at = buffer.indexOf('\r\n', from)
    return at === -1 ? null : at
  }
  if (buffer[0] !== 0x2a) {
    // An inline command (`PING\r\n`), which ioredis never sends; answered all the same.
    const end = lineEnd(0)
    return end === null ? null : { length: end + 2, name: buffer.subarray(0, end).toString().split(' ')[0] ?? '' }
  }
  let end = lineEnd(0)
  if (end === null) return null
  const count = Number(buffer.subarray(1, end).toString())
  let offset = end + 2
  let name = ''
  for (let i = 0; i < count; i++) {
    end = lineEnd(offset)
    if (end === null) return null
    const size = Number(buffer.subarray(offset + 1, end).toString())
    const start = end + 2
    if (buffer.length < start + size + 2) return null
    if (i === 0) name = buffer.subarray(start, start + size).toString()
    offset = start + size + 2
  }
  return { length: offset, name }
}

export type RefusingRedis = { port: number; close: () => Promise<void> }

/** Listens on a free loopback port until closed. */
export function startRefusingRedis(): Promise<RefusingRedis> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    let pending = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk])
      const replies: string[] = []
      for (let command = nextCommand(pending); command; command = nextCommand(pending)) {
        pending = pending.subarray(command.length)
        replies.push(reply(command.name.toUpperCase()))
      }
      if (replies.length > 0) socket.write(replies.join(''))
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          }),
      }),
    )
  })
}
