import 'server-only'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { claimsFromHeaders } from '../auth/session'
import { isDatabaseUnavailable } from '../db-errors'
import { logger, REQUEST_ID_HEADER } from '../logging.mjs'
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from '../security-headers.mjs'
import { resolveSession } from '../sessions'
import { LIVE_EVENTS_PATH } from './address'
import { liveHub, type Hub } from './hub'
import { EVENT_STREAM_HEADERS, openLiveStream } from './stream'

/** Where server.mjs finds the handler (it is plain JavaScript: it cannot import this module). */
const LIVE_EVENTS = Symbol.for('todos.liveEvents')

/** What every answer here carries, as next.config.mjs puts on the rest of the API. */
const HEADERS: Record<string, string> = {
  ...Object.fromEntries(securityHeaders(process.env.NODE_ENV === 'production').map(({ key, value }) => [key, value])),
  'Content-Security-Policy': API_CONTENT_SECURITY_POLICY,
}

function answer(response: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { ...HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers })
  response.end(JSON.stringify({ detail }))
}

const header = (request: IncomingMessage, name: string): string | null => {
  const value = request.headers[name]
  return typeof value === 'string' ? value : null
}

/**
 * GET /api/events, the caller's live events (server/live/stream.ts), for a session cookie or a
 * bearer token resolved as every other request is; 401 otherwise.
 *
 * Served by server.mjs on the raw response, not by a route handler: Next keeps a route handler's
 * whole request (its request scope, the promises and closures of its rendering pipeline) alive for
 * as long as the response streams, 60–90 KiB for each stream open (issue 15). Here a stream holds
 * its socket and the few closures of openLiveStream.
 */
export async function serveLiveEvents(request: IncomingMessage, response: ServerResponse, hub: Hub = liveHub): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return answer(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' })
  }
  try {
    const claims = await claimsFromHeaders(header(request, 'authorization'), header(request, 'cookie'))
    const viewer = claims ? await resolveSession(claims) : null
    if (!claims || !viewer) return answer(response, 401, 'Not Authorized', { 'WWW-Authenticate': 'Bearer' })
    response.writeHead(200, { ...HEADERS, ...EVENT_STREAM_HEADERS })
    if (request.method === 'HEAD') return void response.end()
    response.flushHeaders()
    const gone = new AbortController()
    response.once('close', () => gone.abort())
    openLiveStream(
      {
        userId: viewer.id,
        lastEventId: header(request, 'last-event-id'),
        stillSignedIn: async () => (await resolveSession(claims)) !== null,
        expiresAt: claims.expires,
        signal: gone.signal,
      },
      { write: (text) => void response.write(text), end: () => void response.end() },
      hub,
    )
  } catch (error) {
    const log = logger.child({ component: 'api', requestId: header(request, REQUEST_ID_HEADER) })
    if (response.headersSent) {
      log.error({ err: error }, `GET ${LIVE_EVENTS_PATH}`)
      return void response.destroy()
    }
    if (isDatabaseUnavailable(error)) {
      log.warn(`GET ${LIVE_EVENTS_PATH}: 503, the database is unavailable`)
      return answer(response, 503, 'Service temporarily unavailable', { 'Retry-After': '5' })
    }
    log.error({ err: error }, `GET ${LIVE_EVENTS_PATH}`)
    answer(response, 500, 'Internal Server Error')
  }
}

/**
 * Puts the handler where server.mjs finds it (instrumentation.ts calls this as the server starts):
 * it takes the requests for the stream's path, and answers false to every other.
 */
export function registerLiveEvents(): void {
  const handle = (request: IncomingMessage, response: ServerResponse, path: string): boolean => {
    if (path !== LIVE_EVENTS_PATH) return false
    void serveLiveEvents(request, response)
    return true
  }
  ;(globalThis as Record<symbol, unknown>)[LIVE_EVENTS] = handle
}
