// The production server: Next.js's request handler behind a plain node:http server, for two things
// `next start` cannot do (docs/decisions/0006-custom-server.md):
//  - the client's address, as this socket saw it, whatever headers the client sent: X-Forwarded-*
//    are trusted only from as many proxies as TRUST_PROXY_HOPS says (default 0: none);
//  - a graceful stop: on SIGTERM, finish the requests (and, first, the email jobs) in flight;
//  - a 400 for a path with a malformed percent-escape, which Next.js answers with a bare 500.
import { createServer } from 'node:http'

process.env.NODE_ENV = 'production'
const port = Number(process.env.PORT ?? 3000)
const hostname = process.env.HOSTNAME ?? '0.0.0.0'
const trustedHops = Number(process.env.TRUST_PROXY_HOPS ?? 0)
const SHUTDOWN_TIMEOUT_MS = 10_000

const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded', 'x-real-ip']

/** The client's address: the socket's, or the one the trusted proxies in front of us reported. */
function clientAddress(request) {
  const socketAddress = request.socket.remoteAddress ?? 'unknown'
  if (trustedHops <= 0) return socketAddress
  const chain = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
  // Each trusted proxy appended the address it saw; the one `trustedHops` from the end is the client.
  return chain[chain.length - trustedHops] ?? socketAddress
}

/** Whether the path's percent-escapes decode (`%ZZ`, a cut `%E0%A4%A` or an encoded lone surrogate do not). */
function decodablePath(url) {
  try {
    decodeURIComponent((url ?? '/').split('?')[0])
    return true
  } catch {
    return false
  }
}

function badRequest(request, response) {
  const api = (request.url ?? '').startsWith('/api/')
  response.writeHead(400, { 'content-type': api ? 'application/json' : 'text/plain; charset=utf-8' })
  response.end(api ? JSON.stringify({ detail: 'Malformed URL' }) : 'Malformed URL')
}

let server
let stopping = false

// Registered before Next starts, so that the email worker (started by instrumentation.ts) runs it
// after draining its jobs: see startEmailWorkerInApp in server/jobs/email-worker.ts.
function stop(signal) {
  if (stopping) return
  stopping = true
  console.info(`[server] ${signal}: finishing the requests in flight`)
  const force = setTimeout(() => {
    console.warn('[server] requests still open after 10 s; exiting anyway')
    process.exit(1)
  }, SHUTDOWN_TIMEOUT_MS)
  force.unref()
  if (!server) process.exit(0)
  server.close(() => process.exit(0))
  server.closeIdleConnections()
  // Connections busy now (a live stream, which ends on SIGTERM too) go idle later: close those as well.
  setInterval(() => server.closeIdleConnections(), 100).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)

const { default: next } = await import('next')
const app = next({ dev: false, hostname, port })
await app.prepare()
const handle = app.getRequestHandler()

server = createServer((request, response) => {
  if (!decodablePath(request.url)) return badRequest(request, response)
  const address = clientAddress(request)
  if (trustedHops <= 0) for (const header of FORWARDED_HEADERS) delete request.headers[header]
  request.headers['x-client-ip'] = address
  // Keep-alive connections would hold the server open after close(); tell clients to move on.
  if (stopping) response.setHeader('connection', 'close')
  handle(request, response)
})
server.listen(port, hostname, () => {
  console.info(`[server] ready on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`)
})
