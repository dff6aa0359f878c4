import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'

export const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/todo'

// Text compares case-insensitively by default; usernames no longer rely on it (they compare by
// user.username_key, a binary column: docs/decisions/0008-unicode-usernames.md).
const CHARSET = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'

// drizzle.config.ts names ./db/schema.ts relative to the working directory: run from the root.
const root = fileURLToPath(new URL('../..', import.meta.url))
// drizzle-kit's package exports hide bin.cjs, so find it next to the package's main file.
const drizzleKitBin = join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs')

function serverOf(url: URL) {
  return `${url.hostname}:${url.port || 3306}`
}

/** Creates the database named in `databaseUrl` if it is missing. Throws one-line errors. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.slice(1))
  if (!name) throw new Error(`DATABASE_URL names no database: ${serverOf(url)}`)
  url.pathname = ''
  const conn = await mysql.createConnection(url.toString()).catch((e: NodeJS.ErrnoException) => {
    // A refused connection can come as an AggregateError with an empty message: use the code.
    throw new Error(`cannot connect to the database server at ${serverOf(url)}: ${e.message || e.code}`)
  })
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${mysql.escapeId(name)} ${CHARSET}`)
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    )
    // An older database may predate this script; new tables inherit its collation.
    const collation = String(rows[0]?.c)
    if (!collation.startsWith('utf8mb4')) {
      console.warn(`warning: database ${name} uses ${collation}: todos and names outside its character set will fail`)
    }
  } finally {
    await conn.end()
  }
}

/**
 * The data steps a push cannot do itself, run before it; each is idempotent and does nothing on a
 * new database or one that already has it. Returns what it did, for the log.
 *
 * username_key (docs/decisions/0008-unicode-usernames.md): drizzle-kit would add the NOT NULL
 * column filled with '' and then fail to build its unique index on a table of two accounts (or
 * ask, without a terminal, whether to truncate the table). So when `user` exists without a
 * complete key: add the column as nullable, fill it for the existing accounts (their names are
 * ASCII [A-Za-z0-9_.-], whose key is LOWER(username)), make it NOT NULL, build its unique index
 * and drop the old one on username. Push then finds the table as declared. Users of drizzle-kit
 * migrate get the same from drizzle/0003 to 0005.
 */
export async function prepareForPush(databaseUrl: string): Promise<string[]> {
  const conn = await mysql.createConnection(databaseUrl)
  const done: string[] = []
  try {
    const [columns] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'user' AND COLUMN_NAME IN ('username', 'username_key')`,
    )
    if (!columns.some((column) => column.name === 'username')) return done // no user table yet: push creates it
    const key = columns.find((column) => column.name === 'username_key')
    if (!key) {
      await conn.query('ALTER TABLE `user` ADD `username_key` varbinary(512) NULL')
      done.push('added user.username_key')
    }
    if (!key || key.nullable === 'YES') {
      const [result] = await conn.query<mysql.ResultSetHeader>(
        'UPDATE `user` SET `username_key` = LOWER(`username`) WHERE `username_key` IS NULL',
      )
      await conn.query('ALTER TABLE `user` MODIFY `username_key` varbinary(512) NOT NULL')
      done.push(`filled user.username_key for ${result.affectedRows} existing accounts`)
    }
    const [indexes] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'user'`,
    )
    const names = new Set(indexes.map((index) => String(index.name)))
    if (!names.has('user_username_key_unique')) {
      await conn.query('CREATE UNIQUE INDEX `user_username_key_unique` ON `user` (`username_key`)')
      done.push('made user.username_key unique')
    }
    if (names.has('user_username_unique')) {
      await conn.query('DROP INDEX `user_username_unique` ON `user`')
      done.push('dropped the unique index on user.username (names compare by username_key)')
    }
    return done
  } finally {
    await conn.end()
  }
}

export type PushOptions = {
  config?: string
  /** Passes --force: drizzle-kit may then DROP columns/tables and TRUNCATE tables. */
  allowDataLoss?: boolean
  /** Stream drizzle-kit's output to ours (the CLI); the test setup keeps it quiet. */
  echo?: boolean
}

/**
 * Runs prepareForPush, then the patched `drizzle-kit push` without a terminal. Throws a one-line
 * error on failure.
 */
export async function pushSchema(databaseUrl: string, options: PushOptions = {}): Promise<void> {
  const { config = join(root, 'drizzle.config.ts'), allowDataLoss = false, echo = true } = options
  for (const step of await prepareForPush(databaseUrl)) if (echo) console.log(`db:push: ${step}`)
  const args = [drizzleKitBin, 'push', '--config', resolve(config), ...(allowDataLoss ? ['--force'] : [])]
  // stdin is not a terminal, so every drizzle-kit prompt (data loss, "renamed or new column?")
  // rejects at once instead of waiting: nothing is applied and the patched push exits 1.
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk
    if (echo) process.stdout.write(chunk)
  })
  child.stderr.on('data', (chunk: Buffer) => (err += chunk))
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail)
    child.on('close', done)
  })
  if (code === 0) return
  if (!echo) process.stderr.write(out)
  if (err.includes('Interactive prompts require a TTY')) {
    const why = out.includes('Found data-loss statements') || out.includes('Do you want to truncate')
      ? 'the change above would lose data; nothing was applied (re-run with --allow-data-loss to accept it)'
      : 'drizzle-kit asks whether a column or table was renamed; nothing was applied' +
        ' (answer it by running npx drizzle-kit push in a terminal)'
    throw new Error(`refused: ${why}`)
  }
  process.stderr.write(err)
  // A thrown error ("Error: Multiple primary key defined") or drizzle-kit's own " Error  ..." line.
  const line = /^\s*(\w*Error):? +(.+)$/m
  const m = line.exec(err) ?? line.exec(out)
  throw new Error(`drizzle-kit push failed: ${m ? `${m[1]}: ${m[2]}` : `exit code ${code}`}`)
}
