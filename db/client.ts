import { drizzle } from 'drizzle-orm/mysql2'
import mysql from 'mysql2/promise'
import * as schema from './schema'

export type Database = ReturnType<typeof createDatabase>

/**
 * One pool per process. Limits are deliberate: a short connect timeout so that a request never
 * hangs on a database that is down (the pool simply reconnects when it is back), and a bounded
 * queue so that a stalled database sheds load instead of piling up requests.
 */
export function createDatabase(url: string, poolSize = 10) {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: poolSize,
    maxIdle: poolSize,
    idleTimeout: 60_000,
    connectTimeout: 2_000,
    queueLimit: 200,
    enableKeepAlive: true,
    // Store and read every timestamp as UTC, whatever the server's time zone.
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
  })
  return { pool, db: drizzle(pool, { schema, mode: 'default' }) }
}
