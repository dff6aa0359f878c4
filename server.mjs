// The server, in production (`npm start`) and in development (`npm run dev`, which passes --dev):
// Next.js's request handler behind a plain node:http server, for what `next start` cannot do
// (docs/decisions/0006-custom-server.md):
//  - the client's address, as this socket saw it, whatever headers the client sent: X-Forwarded-*
//    are trusted only from as many proxies as TRUST_PROXY_HOPS says (default 0: none);
//  - a graceful stop: on SIGTERM, finish the requests (and, first, the email jobs) in flight;
//  - a 400 for a path with a malformed percent-escape, which Next.js answers with a bare 500;
//  - the pages' guard (server/page-guard.mjs): the nonce CSP, the cookie shortcut to the log-in
//    page and the cross-site action check, which Next's proxy did at a quarter of a page's CPU;
//  - the live stream (GET /api/events), answered here on the raw response: as a route handler,
//    each open stream held all of Next's request machinery (server/live/serve.ts);
//  - observability (docs/decisions/0018-observability.md): a request id for every request (a valid
//    X-Request-Id or a new one, echoed back), one JSON log line per request, and the request
//    metrics (route, status, duration), which only this server sees whole.
import { createServer } from 'node:http'
import { accessLogger, logger, REQUEST_ID_HEADER, requestIdFrom } from './server/logging.mjs'
import { guardPage } from './server/page-guard.mjs'
import { serverSettings } from './server/server-settings.mjs'

const dev = process.argv.includes('--dev')
process.env.NODE_ENV = dev ? 'development' : 'production'
const { port, hostname, trustedHops } = settingsOrExit()
const SHUTDOWN_TIMEOUT_MS = 10_000

/** This server's settings (server/server-settings.mjs); a bad one ends the process with its name. */
function settingsOrExit() {
  try {
    return serverSettings()
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
}

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
const log = logger.child({ component: 'server' })

// Registered before Next starts, so that the email worker (started by instrumentation.ts) runs it
// after draining its jobs: see startEmailWorkerInApp in server/jobs/email-worker.ts.
function stop(signal) {
  if (stopping) return
  stopping = true
  log.info(`${signal}: finishing the requests in flight`)
  const force = setTimeout(() => {
    log.warn('requests still open after 10 s; exiting anyway')
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
// Development bundles with Turbopack, as `next dev` does.
const app = next(dev ? { dev, turbopack: true, hostname, port } : { dev, hostname, port })
await app.prepare()
const handle = app.getRequestHandler()

// server/metrics.ts puts the registry here when the Next bundle first loads it (instrumentation.ts
// does, during prepare()); server/live/serve.ts the handler of the live stream's requests.
const METRICS = Symbol.for('todos.metrics')
const LIVE_EVENTS = Symbol.for('todos.liveEvents')

/** When the response is done: the request's metrics and its log line (path only: a query may hold a token). */
function observe(request, response, requestId, address, started) {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const path = (request.url ?? '/').split('?')[0]
  // A client that went away before the answer: 499, as nginx writes it.
  const status = response.writableFinished ? response.statusCode : 499
  globalThis[METRICS]?.observeRequest(request.method ?? 'GET', path, status, seconds)
  if (accessLogger.isLevelEnabled('info')) {
    accessLogger.info({ requestId, method: request.method, path, status, ms: Math.round(seconds * 10_000) / 10, client: address }, 'request')
  }
}

server = createServer((request, response) => {
  const started = process.hrtime.bigint()
  const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER])
  // Overwrites what the client sent: handlers read the id from here (server/log.ts).
  request.headers[REQUEST_ID_HEADER] = requestId
  response.setHeader(REQUEST_ID_HEADER, requestId)
  const address = clientAddress(request)
  response.once('close', () => observe(request, response, requestId, address, started))
  if (!decodablePath(request.url)) return badRequest(request, response)
  if (trustedHops <= 0) for (const header of FORWARDED_HEADERS) delete request.headers[header]
  request.headers['x-client-ip'] = address
  // Keep-alive connections would hold the server open after close(); tell clients to move on.
  if (stopping) response.setHeader('connection', 'close')
  // Draining: the load balancer's readiness check sends new requests elsewhere meanwhile.
  const path = (request.url ?? '/').split('?')[0]
  if (stopping && path === '/api/ready') return notReady(response)
  if (guardPage(request, response, { development: dev })) return
  if (globalThis[LIVE_EVENTS]?.(request, response, path)) return
  handle(request, response)
})
// Idle keep-alive connections stay open longer than the proxies in front keep theirs (nginx's
// upstream keepalive_timeout is set to 30 s in deploy/nginx.conf; load balancers use 60 s). With
// Node's default of 5 s the server closes a connection just as a proxy or client sends on it, and
// that request fails with a reset (a 502 behind nginx, which never re-sends a POST).
server.keepAliveTimeout = 65_000
// Must be above keepAliveTimeout, or Node cuts a slow request's headers first.
server.headersTimeout = server.keepAliveTimeout + 1_000
server.listen(port, hostname, () => {
  log.info(`ready on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`)
})

function notReady(response) {
  response.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': '5' })
  response.end(JSON.stringify({ status: 'stopping' }))
}
