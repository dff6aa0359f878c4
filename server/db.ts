import 'server-only'
import { createDatabase, type Database } from '@/db/client'
import { env } from './env'

// Reuse the pool across hot reloads in development; each reload would otherwise open a new one.
const globalForDb = globalThis as unknown as { database?: Database }

const database = globalForDb.database ?? createDatabase(env.DATABASE_URL, env.DB_POOL_SIZE)
if (env.NODE_ENV !== 'production') globalForDb.database = database

export const db = database.db
export const pool = database.pool
