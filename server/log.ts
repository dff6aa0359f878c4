import 'server-only'
import type { Logger } from 'pino'
import { logger, REQUEST_ID_HEADER } from './logging.mjs'

/**
 * The process's logger: one JSON line per event, with the instance, the level (LOG_LEVEL) and
 * secret-looking fields redacted. Outside a request (workers, start-up) use it as is; inside one,
 * `requestLog()` or `logFor(request)` add the request's id.
 */
export const log: Logger = logger

/** A logger for one part of the server (`component` in each line). */
export function componentLog(component: string): Logger {
  return logger.child({ component })
}

/** The logger for a request whose headers are `source` (server.mjs set its id). */
export function logFor(source: { headers: Headers }, bindings: Record<string, unknown> = {}): Logger {
  const requestId = source.headers.get(REQUEST_ID_HEADER)
  return logger.child(requestId ? { requestId, ...bindings } : bindings)
}

/**
 * The logger for the request being handled (page, server action, route handler), or the plain
 * logger outside one. Reading the headers makes a page dynamic: call it where something is logged.
 */
export async function requestLog(bindings: Record<string, unknown> = {}): Promise<Logger> {
  try {
    // Imported here: workers and scripts use this module outside Next.
    const { headers } = await import('next/headers')
    return logFor({ headers: await headers() }, bindings)
  } catch {
    return logger.child(bindings)
  }
}
