import 'server-only'
import { pool } from './db'
import { driverErrorCode } from './db-errors'
import { env } from './env'
import { startWorkersInApp } from './jobs/email-worker'
import { registerLiveEvents } from './live/serve'
import { componentLog } from './log'
// Loaded before the first request: server.mjs counts every request into this registry.
import './metrics'

const log = componentLog('startup')

/**
 * What an app instance starts beside Next, once its configuration is known to be valid
 * (server/startup.ts): the database check, the workers (email, reminders and the morning summary;
 * RUN_WORKER=false leaves them to `npm run worker`; on SIGTERM they finish their jobs in flight
 * before Next stops the server), and GET /api/events, which server.mjs serves itself, outside Next
 * (server/live/serve.ts says why).
 */
export async function startInstance(): Promise<void> {
  await checkDatabase()
  startWorkersInApp()
  registerLiveEvents()
}

/** An unreachable database does not stop the server: pages say "temporarily unavailable" and recover when it is back. */
async function checkDatabase(): Promise<void> {
  const target = describeDatabase(env.DATABASE_URL)
  try {
    await pool.query('SELECT 1 FROM `user` LIMIT 0')
  } catch (error) {
    log.warn(`${databaseAdvice(driverErrorCode(error), target)}`)
  }
}

function describeDatabase(url: string): { host: string; name: string } {
  const parsed = new URL(url)
  return { host: `${parsed.hostname}:${parsed.port || 3306}`, name: decodeURIComponent(parsed.pathname.slice(1)) }
}

function databaseAdvice(code: string | undefined, { host, name }: { host: string; name: string }): string {
  switch (code) {
    case 'ER_BAD_DB_ERROR':
      return `database "${name}" does not exist on ${host}: run \`npm run db:push\` to create it.`
    case 'ER_NO_SUCH_TABLE':
      return `database "${name}" has no tables yet: run \`npm run db:push\`.`
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return `access to database "${name}" on ${host} was denied: check the user and password in DATABASE_URL.`
    default:
      return `cannot reach the database at ${host} (${code ?? 'unknown error'}): start MySQL/MariaDB or fix DATABASE_URL. Pages will say "temporarily unavailable" until it is reachable.`
  }
}
