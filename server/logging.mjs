// The one logger of a server process, in plain JavaScript because server.mjs (not compiled) and the
// Next server bundle both use it: whichever loads first makes it, the other finds it on globalThis,
// so the process writes through one pino instance (docs/decisions/0018-observability.md). App code
// imports server/log.ts, which adds the request's id.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import pino from 'pino'

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

/** Field names whose values never reach a log line, wherever they sit (up to two levels deep). */
const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'secret',
  'cookie',
  'cookies',
  'authorization',
  '["set-cookie"]',
]
const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((field) => {
    const key = field.startsWith('[') ? field : `.${field}`
    return [field, `*${key}`, `*.*${key}`]
  }),
  // An emailed code; not `*.code`, which would hide an error's code (ECONNREFUSED).
  ...['code', 'body.code', 'data.code', 'job.code', 'input.code'],
]

/** This instance's name in every line: INSTANCE_ID, else host:port. */
export function instanceName(env = process.env) {
  return env.INSTANCE_ID || `${hostname()}:${env.PORT ?? 3000}`
}

/**
 * A logger as the process's, writing to `destination` (stdout by default); tests pass their own.
 * `redact: false` only for lines of a fixed shape that cannot hold a secret (the access log):
 * redaction walks every line's object along 38 paths, a tenth of a cheap request's CPU.
 */
export function createLogger(destination, { redact = true } = {}) {
  const requested = (process.env.LOG_LEVEL ?? 'info').toLowerCase()
  const level = LEVELS.has(requested) ? requested : 'info'
  const logger = pino({
    level,
    base: { instance: instanceName(), pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"warn" rather than 40: readable without a table, and what log shippers expect.
    formatters: { level: (label) => ({ level: label }) },
    ...(redact ? { redact: { paths: REDACT_PATHS, censor: '[redacted]' } } : {}),
  }, destination)
  // Said once, by the process's main logger.
  if (level !== requested && redact) logger.warn(`LOG_LEVEL "${requested}" is not a level (${[...LEVELS].join(', ')}); logging at info`)
  return logger
}

const KEY = Symbol.for('todos.logger')
const LISTENERS = Symbol.for('todos.logger.listeners')
const listeners = (globalThis[LISTENERS] ??= new Set())

/** Standard output, synchronously as pino's default, with every line also handed to onLogLine's listeners. */
function processDestination() {
  const stdout = pino.destination({ dest: 1, sync: true })
  return {
    write(line) {
      for (const listener of listeners) listener(line)
      return stdout.write(line)
    },
  }
}

const DESTINATION = Symbol.for('todos.logger.destination')
const destination = (globalThis[DESTINATION] ??= processDestination())

/** The process's logger (JSON lines on stdout). */
export const logger = (globalThis[KEY] ??= createLogger(destination))

const ACCESS_KEY = Symbol.for('todos.logger.access')
/**
 * The one line per request that server.mjs writes, through the same stdout, without redaction: its
 * fields are the request's id, method, path (never the query), status, duration and client address.
 */
export const accessLogger = (globalThis[ACCESS_KEY] ??= createLogger(destination, { redact: false }).child({ component: 'server' }))

/** Calls `listener` with each line the process's logger writes, until the function returned is called (for tests). */
export function onLogLine(listener) {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

/** The header that carries a request's id, in and out. */
export const REQUEST_ID_HEADER = 'x-request-id'

// An id a proxy in front (HAProxy's unique-id, nginx's $request_id) or a client sent: kept when it
// is short and plain, so that it cannot forge log lines or bloat them; otherwise a new one.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/** The request id to use for a request that came with `header` (a string, several, or none). */
export function requestIdFrom(header) {
  const value = Array.isArray(header) ? header[0] : header
  return typeof value === 'string' && VALID_REQUEST_ID.test(value) ? value : randomUUID()
}
