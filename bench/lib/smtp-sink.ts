// A real SMTP listener for the bench's reminder case (the `smtp-server` package, already a dev
// dependency for the tests): it accepts every message, reads only its header block for the
// Message-ID (the email worker sets a stable one per job, server/jobs/email-worker.ts), and records
// when each arrived. No parsing of bodies: 10,000 messages must cost the bench little CPU, since it
// shares the machine with the worker it measures.
import { SMTPServer } from 'smtp-server'

export type SmtpSink = {
  port: number
  /** Arrival times (ms since the epoch) per Message-ID, in order of arrival. */
  arrivals: Map<string, number[]>
  /** Messages accepted in all, with or without a Message-ID. */
  received(): number
  close(): Promise<void>
}

const HEADER_END = '\r\n\r\n'
const MESSAGE_ID = /^message-id:\s*(<[^>\r\n]+>)/im

/** Starts the sink on a free loopback port (no STARTTLS, no authentication: loopback only). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const arrivals = new Map<string, number[]>()
  let received = 0
  const server = new SMTPServer({
    // Without a certificate smtp-server would offer STARTTLS with a self-signed one, which the app's
    // mailer (certificate checks on) refuses.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    size: 1024 * 1024,
    maxClients: 1_000,
    onData(stream, _session, callback) {
      let head = ''
      let done = false
      stream.on('data', (chunk: Buffer) => {
        if (done) return
        head += chunk.toString('latin1')
        const end = head.indexOf(HEADER_END)
        if (end >= 0) {
          head = head.slice(0, end)
          done = true
        } else if (head.length > 64 * 1024) {
          done = true
        }
      })
      stream.on('end', () => {
        const at = Date.now()
        received++
        // Header lines may be folded: unfold before looking.
        const id = MESSAGE_ID.exec(head.replace(/\r\n[ \t]+/g, ' '))?.[1]
        if (id) {
          const times = arrivals.get(id)
          if (times) times.push(at)
          else arrivals.set(id, [at])
        }
        callback()
      })
    },
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address()
      resolve(typeof address === 'object' && address ? address.port : 0)
    })
  })
  server.on('error', () => {}) // a client dropping mid-session is not the sink's failure
  return {
    port,
    arrivals,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
