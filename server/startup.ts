import 'server-only'
import { driverErrorCode } from './db-errors'
import type { Env } from './env'
import { componentLog } from './log'

const log = componentLog('startup')

/**
 * Start-up checks, each failure told in one actionable line rather than a stack trace:
 * configuration errors stop the server (it could never work); an unreachable database does not
 * (the pages say "temporarily unavailable" and recover when it is back).
 */
export async function checkStartup(): Promise<void> {
  let env: Env
  try {
    env = (await import('./env')).env
  } catch (error) {
    log.fatal(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }

  const { pool } = await import('./db')
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
