import 'server-only'
import { DATABASE_UNAVAILABLE } from '@/lib/error-digests'
import { metrics } from './metrics'

/** mysql2's words for a command sent on a connection that is already closed. */
const CLOSED_CONNECTION = "Can't add new command when connection is in closed state"

/** Error codes that mean "the database cannot be reached", as opposed to a bad query. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
  'ER_NO_SUCH_TABLE',
  // Still in conflict after the retries (server/db-retry.ts): the next try will likely pass.
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
])


/**
 * Thrown instead of a driver error when the database is unreachable. Next.js forwards an error's
 * `digest` to the error boundary untouched (it strips the message in production), so the error
 * page can say "the database is unavailable" without leaking details.
 */
export class DatabaseUnavailableError extends Error {
  readonly digest = DATABASE_UNAVAILABLE
  constructor(cause: unknown) {
    super('The database is unavailable', { cause })
    this.name = 'DatabaseUnavailableError'
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}

/** True when `error` (or anything in its `cause` chain, as Drizzle wraps driver errors) is a connection failure. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof DatabaseUnavailableError) return true
    const code = codeOf(e)
    if (code && UNAVAILABLE_CODES.has(code)) return true
    // A pool whose queue is full reports this as a plain Error; so does a connection that died
    // mid-transaction (a Galera node killed, HAProxy cutting its sessions) when the ROLLBACK is sent.
    if (e instanceof Error && (e.message === 'Queue limit reached.' || e.message === CLOSED_CONNECTION)) return true
    e = e instanceof Error ? e.cause : undefined
  }
  return false
}

/** The driver error code (e.g. ER_DUP_ENTRY) of `error` or its causes. */
export function driverErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = codeOf(e)
    if (code) return code
    e = e instanceof Error ? e.cause : undefined
  }
  return undefined
}

/**
 * How long a data function may take before the caller is answered "unavailable". A database that
 * accepts connections but stops answering would otherwise hold requests forever: mysql2 has a
 * connect timeout but no query timeout.
 */
export const DATA_TIMEOUT_MS = 5_000

class DataTimeoutError extends Error {
  override name = 'DataTimeoutError'
  readonly code = 'ETIMEDOUT'
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DataTimeoutError(`no answer from the database in ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

/**
 * What went wrong in MariaDB, for todos_database_errors_total: unreachable, no answer in time, or a
 * query the server refused (a driver error code). Nothing for the app's own errors (a limit, a
 * rule) or an error already counted by an inner data function.
 */
function errorKind(error: unknown): 'unavailable' | 'timeout' | 'query' | undefined {
  if (error instanceof DatabaseUnavailableError) return undefined
  if (error instanceof DataTimeoutError) return 'timeout'
  if (isDatabaseUnavailable(error)) return 'unavailable'
  return driverErrorCode(error) ? 'query' : undefined
}

/**
 * Wraps a data-layer function so that connection failures and a database that stopped answering
 * surface as DatabaseUnavailableError, the one error the pages and the API know how to answer
 * (a "temporarily unavailable" page, 503).
 */
export function dataFunction<Args extends unknown[], Result>(
  fn: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args) => {
    try {
      return await withTimeout(fn(...args), DATA_TIMEOUT_MS)
    } catch (error) {
      const kind = errorKind(error)
      if (kind) metrics.databaseErrors.inc({ kind })
      if (isDatabaseUnavailable(error) && !(error instanceof DatabaseUnavailableError)) {
        throw new DatabaseUnavailableError(error)
      }
      throw error
    }
  }
}
