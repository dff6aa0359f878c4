import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { usernameKey } from '../../lib/validation/username-key'
import { hashPassword } from '../../server/auth/password'

// Each test pushes into its own throwaway database on the test server, through the real
// `tsx scripts/db-push.ts` (and once `npm run db:push`), as a deploy would.
const root = fileURLToPath(new URL('../..', import.meta.url))
const server = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/todo_test')
const drizzleKit = join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs')
const created: string[] = []
let admin: mysql.Connection
let tmp: string

function urlFor(db: string) {
  const url = new URL(server)
  url.pathname = `/${db}`
  return url.toString()
}

function newDatabase(label: string) {
  const name = `todo_pushtest_${label}_${randomBytes(3).toString('hex')}`
  created.push(name)
  return name
}

type Run = { code: number | null; stdout: string; stderr: string }
function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c))
    child.stderr.on('data', (c: Buffer) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const dbPush = (db: string, ...args: string[]) =>
  run(join(root, 'node_modules/.bin/tsx'), ['scripts/db-push.ts', ...args], { DATABASE_URL: urlFor(db) })

/** SQL statements drizzle-kit printed (verbose) before running them. */
const statements = (out: string) => out.split('\n').filter((l) => /^(ALTER|CREATE|DROP|TRUNCATE)\b/i.test(l))

/** A copy of db/schema.ts with `edit` applied, and a drizzle config that pushes it. */
function schemaVariant(name: string, edit: (schema: string) => string) {
  const original = readFileSync(join(root, 'db/schema.ts'), 'utf8')
  const schema = edit(original)
  if (schema === original) throw new Error(`schema variant ${name} changed nothing`)
  writeFileSync(join(tmp, `${name}.ts`), schema)
  const config = join(tmp, `${name}.config.ts`)
  writeFileSync(
    config,
    `import { defineConfig } from 'drizzle-kit'
export default defineConfig({
  dialect: 'mysql',
  schema: ${JSON.stringify(join(tmp, `${name}.ts`))},
  dbCredentials: { url: process.env.DATABASE_URL! },
  verbose: true,
})
`,
  )
  return { schema: join(tmp, `${name}.ts`), config }
}

const addNickname = (s: string) =>
  s.replace('    email: varchar({ length: 320 }),\n', '$&    nickname: varchar({ length: 40 }),\n')
const dropEmailVerifiedAt = (s: string) => s.replace("    emailVerifiedAt: timestamp('email_verified_at'),\n", '')
const widenContents = (s: string) => s.replace('contents: varchar({ length: 256 })', 'contents: varchar({ length: 512 })')

/** Runs the committed migrations whose file names sort before `before` (all by default), in order. */
async function migrate(db: string, { from = '', before = '~' } = {}) {
  const migrations = readdirSync(join(root, 'drizzle'))
    .filter((file) => file.endsWith('.sql') && file >= from && file < before)
    .sort()
  for (const file of migrations) {
    const sql = readFileSync(join(root, 'drizzle', file), 'utf8')
    for (const statement of sql.split('--> statement-breakpoint')) await admin.query(`USE ${db}; ${statement}`)
  }
}

/** Creates the tables from the committed migrations (no push involved) and adds rows. */
async function seeded(label: string) {
  const db = newDatabase(label)
  await admin.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await migrate(db) // the schema as it stands, built the other way
  await admin.query(
    `USE ${db};
     INSERT INTO user (username, username_key, password) VALUES ('alice', 'alice', 'x'), ('bob', 'bob', 'y');
     INSERT INTO todo (contents, user_id) VALUES ('one', 1), ('two', 1), ('three', 2);`,
  )
  return db
}

const OLD_PASSWORD = 'violet kettle drums'

/** A database as the last release left it: the schema before username_key, with accounts and todos. */
async function beforeUsernameKeys(label: string) {
  const db = newDatabase(label)
  await admin.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await migrate(db, { before: '0003' })
  const phc = await hashPassword(OLD_PASSWORD)
  await admin.query(
    `USE ${db};
     INSERT INTO user (username, password, session_version) VALUES ('Alice', ?, 0), ('bob.B-1', ?, 2), ('Minji_99', ?, 0);
     INSERT INTO todo (contents, user_id) VALUES ('one', 1), ('two', 1), ('three', 2);`,
    [phc, phc, phc],
  )
  return db
}

const keysOf = async (db: string) =>
  (
    await admin.query<mysql.RowDataPacket[]>(
      `SELECT id, username, CAST(username_key AS CHAR CHARACTER SET utf8mb4) AS k FROM ${db}.user ORDER BY id`,
    )
  )[0].map((row) => ({ ...row }))

/** Every table definition and row, to compare before and after a push. */
async function snapshot(db: string) {
  const result: Record<string, unknown> = {}
  for (const table of ['user', 'todo']) {
    const [[create]] = await admin.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE ${db}.${table}`)
    const [rows] = await admin.query(`SELECT * FROM ${db}.${table} ORDER BY id`)
    result[table] = { create: create?.['Create Table'], rows }
  }
  return result
}

beforeAll(async () => {
  admin = await mysql.createConnection({ uri: urlFor(''), multipleStatements: true })
  tmp = mkdtempSync(join(tmpdir(), 'db-push-test-'))
  // Schema copies import drizzle-orm; let them resolve it from here.
  symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'))
})

afterAll(async () => {
  for (const db of created) await admin?.query(`DROP DATABASE IF EXISTS ${db}`)
  await admin?.end()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('npm run db:push on MariaDB', () => {
  it('creates every table, then a second push is a no-op', async () => {
    const db = newDatabase('noop')
    const first = await dbPush(db)
    expect(first.code, first.stderr).toBe(0)
    const [tables] = await admin.query<mysql.RowDataPacket[]>(`SHOW TABLES FROM ${db}`)
    expect(tables.map((t) => Object.values(t)[0]).sort()).toEqual(['idempotency_receipt', 'password_reset', 'session_revocation', 'todo', 'user'])
    await admin.query(`INSERT INTO ${db}.user (username, username_key, password) VALUES ('alice', 'alice', 'x')`)
    await admin.query(`INSERT INTO ${db}.todo (contents, user_id) VALUES ('one', 1)`)
    const before = await snapshot(db)

    const second = await dbPush(db)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain('No changes detected')
    expect(statements(second.stdout)).toEqual([])
    expect(await snapshot(db)).toEqual(before)
  })

  it('adds a nullable column to tables with rows with one ADD, keeping every row', async () => {
    const db = await seeded('add')
    const before = await snapshot(db)
    const { config } = schemaVariant('add-column', addNickname)

    const result = await dbPush(db, '--config', config)
    expect(result.code, result.stderr).toBe(0)
    expect(statements(result.stdout)).toEqual(['ALTER TABLE `user` ADD `nickname` varchar(40);'])
    const after = await snapshot(db)
    expect(after.todo).toEqual(before.todo)
    const [users] = await admin.query<mysql.RowDataPacket[]>(`SELECT * FROM ${db}.user ORDER BY id`)
    expect(users.map(({ nickname, ...rest }) => (expect(nickname).toBeNull(), rest))).toEqual(
      (before.user as { rows: unknown[] }).rows,
    )
  })

  it('refuses a data-losing change unless --allow-data-loss is given', async () => {
    const db = await seeded('loss')
    const before = await snapshot(db)
    const lossy = schemaVariant('lossy', (s) => widenContents(dropEmailVerifiedAt(s)))

    // drizzle-kit would TRUNCATE todo for the type change and drop a column: refused, untouched.
    const refused = await dbPush(db, '--config', lossy.config)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('Found data-loss statements')
    expect(refused.stderr.trim()).toMatch(/^db:push: refused: .*would lose data; nothing was applied/)
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
    expect(await snapshot(db)).toEqual(before)

    // With the flag, dropping a column drops only that column.
    const dropOnly = schemaVariant('drop-column', dropEmailVerifiedAt)
    const allowed = await dbPush(db, '--config', dropOnly.config, '--allow-data-loss')
    expect(allowed.code, allowed.stderr).toBe(0)
    expect(statements(allowed.stdout)).toEqual(['ALTER TABLE `user` DROP COLUMN `email_verified_at`;'])
    const [users] = await admin.query<mysql.RowDataPacket[]>(`SELECT * FROM ${db}.user ORDER BY id`)
    expect(users.map((u) => u.username)).toEqual(['alice', 'bob'])
    expect((await snapshot(db)).todo).toEqual(before.todo)
  })

  it('creates a missing database with a case-insensitive collation; names collide by username_key', async () => {
    const db = newDatabase('create')
    const result = await run('npm', ['run', '--silent', 'db:push'], { DATABASE_URL: urlFor(db) })
    expect(result.code, result.stderr).toBe(0)
    const [[schema]] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [db],
    )
    expect(schema?.c).toBe('utf8mb4_unicode_ci')
    await admin.query(`INSERT INTO ${db}.user (username, username_key, password) VALUES ('Alice', 'alice', 'x')`)
    await expect(
      admin.query(`INSERT INTO ${db}.user (username, username_key, password) VALUES ('ａｌｉｃｅ', 'alice', 'y')`),
    ).rejects.toThrow(/Duplicate entry/)
    // The key compares bytes: names the collation would confuse stay apart.
    await admin.query(`INSERT INTO ${db}.user (username, username_key, password) VALUES ('José', 'josé', 'x')`)
    await admin.query(`INSERT INTO ${db}.user (username, username_key, password) VALUES ('Jose', 'jose', 'x')`)
  })

  it('adds username_key to a database with accounts: every row survives, keyed, and a second push is a no-op', async () => {
    const db = await beforeUsernameKeys('keys')
    const before = await snapshot(db)

    const result = await dbPush(db)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('db:push: filled user.username_key for 3 existing accounts')
    // The data step left username_key as declared: drizzle-kit adds only the later, additive columns and tables.
    expect(statements(result.stdout)).toEqual([
      'CREATE TABLE `idempotency_receipt` (',
      'CREATE TABLE `password_reset` (',
      'ALTER TABLE `todo` ADD `due_at` datetime;',
      'ALTER TABLE `todo` ADD `remind_at` datetime;',
      'ALTER TABLE `todo` ADD `repeat` varchar(255);',
      'ALTER TABLE `todo` ADD `reminder_queued_for` datetime;',
      'ALTER TABLE `todo` ADD `reminder_sent_for` datetime;',
      'ALTER TABLE `todo` ADD `deleted_at` datetime;',
      'ALTER TABLE `user` ADD `locale` varchar(8);',
      "ALTER TABLE `user` ADD `theme` varchar(8) DEFAULT 'system' NOT NULL;",
      "ALTER TABLE `user` ADD `time_zone` varchar(64) DEFAULT 'UTC' NOT NULL;",
      'ALTER TABLE `user` ADD `summary_hour` tinyint;',
      'ALTER TABLE `user` ADD `summary_sent_on` date;',
      'ALTER TABLE `idempotency_receipt` ADD CONSTRAINT `idempotency_receipt_user_id_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON DELETE cascade ON UPDATE no action;',
      'ALTER TABLE `password_reset` ADD CONSTRAINT `password_reset_user_id_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON DELETE cascade ON UPDATE no action;',
      'CREATE INDEX `idempotency_receipt_created_at_idx` ON `idempotency_receipt` (`created_at`);',
      'CREATE INDEX `todo_user_id_is_done_due_at_idx` ON `todo` (`user_id`,`is_done`,`due_at`);',
      'CREATE INDEX `todo_remind_at_idx` ON `todo` (`remind_at`);',
      'CREATE INDEX `todo_user_id_deleted_at_idx` ON `todo` (`user_id`,`deleted_at`);',
      'CREATE INDEX `todo_deleted_at_idx` ON `todo` (`deleted_at`);',
    ])
    expect(await keysOf(db)).toEqual([
      { id: 1, username: 'Alice', k: 'alice' },
      { id: 2, username: 'bob.B-1', k: 'bob.b-1' },
      { id: 3, username: 'Minji_99', k: 'minji_99' },
    ])
    for (const row of await keysOf(db)) expect(row.k).toBe(usernameKey(row.username)) // the app's own key
    const after = await snapshot(db)
    // Every todo row survives; the columns added since (due dates, repeats, reminders, the trash) are empty.
    type Rows = { rows: Record<string, unknown>[] }
    expect(
      (after.todo as Rows).rows.map(({ due_at, remind_at, repeat, reminder_queued_for, reminder_sent_for, deleted_at, ...rest }) => {
        expect([due_at, remind_at, repeat, reminder_queued_for, reminder_sent_for, deleted_at]).toEqual([null, null, null, null, null, null])
        return rest
      }),
    ).toEqual((before.todo as Rows).rows)
    const [users] = await admin.query<mysql.RowDataPacket[]>(`SELECT * FROM ${db}.user ORDER BY id`)
    expect(
      users.map(({ username_key, locale, theme, time_zone, summary_hour, summary_sent_on, ...rest }) => {
        expect(username_key).toBeInstanceOf(Buffer)
        expect([locale, theme]).toEqual([null, 'system']) // not chosen yet: the browser decides
        expect([time_zone, summary_hour, summary_sent_on]).toEqual(['UTC', null, null])
        return rest
      }),
    ).toEqual((before.user as { rows: unknown[] }).rows)
    const [[create]] = await admin.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE ${db}.user`)
    expect(create?.['Create Table']).toContain('UNIQUE KEY `user_username_key_unique` (`username_key`)')
    expect(create?.['Create Table']).not.toContain('user_username_unique')

    const again = await dbPush(db)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).not.toContain('db:push: ')
    expect(again.stdout).toContain('No changes detected')

    // The old accounts still log in, by any case or width of their names: the app's own data
    // layer, loaded afresh against this database.
    vi.stubEnv('DATABASE_URL', urlFor(db))
    vi.resetModules()
    delete (globalThis as { database?: unknown }).database // server/db.ts keeps its pool there
    const { authenticate } = await import('../../server/users')
    const { pool } = await import('../../server/db')
    try {
      for (const [typed, id] of [['Alice', 1], ['ALICE', 1], ['ｍｉｎｊｉ_99', 3], ['BOB.b-1', 2]] as const) {
        expect(await authenticate({ username: typed, password: OLD_PASSWORD })).toMatchObject({ id })
      }
      expect(await authenticate({ username: 'alice', password: 'wrong password' })).toBeNull()
    } finally {
      await pool.end()
      vi.unstubAllEnvs()
      delete (globalThis as { database?: unknown }).database
    }
  })

  it('finishes an interrupted backfill (a nullable username_key with gaps)', async () => {
    const db = await beforeUsernameKeys('resume')
    await admin.query(`ALTER TABLE ${db}.user ADD username_key varbinary(512) NULL`)
    await admin.query(`UPDATE ${db}.user SET username_key = 'alice' WHERE id = 1`)
    const result = await dbPush(db)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).not.toContain('added user.username_key')
    expect(result.stdout).toContain('filled user.username_key for 2 existing accounts')
    expect((await keysOf(db)).map((row) => row.k)).toEqual(['alice', 'bob.b-1', 'minji_99'])
  })

  it('the committed migrations do the same for drizzle-kit migrate users', async () => {
    const db = await beforeUsernameKeys('migrate')
    await migrate(db, { from: '0003' })
    expect((await keysOf(db)).map((row) => row.k)).toEqual(['alice', 'bob.b-1', 'minji_99'])
    // …and leave the schema that db/schema.ts declares: a push then has nothing to do.
    const result = await dbPush(db)
    expect(result.code, result.stderr).toBe(0)
    expect(statements(result.stdout)).toEqual([])
    expect(result.stdout).toContain('No changes detected')
  })

  it('exits non-zero with one clear line when the server is unreachable', async () => {
    const unreachable = { DATABASE_URL: 'mysql://root@127.0.0.1:1/todo' }
    const result = await run(join(root, 'node_modules/.bin/tsx'), ['scripts/db-push.ts'], unreachable)
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toMatch(/^db:push: cannot connect to the database server at 127\.0\.0\.1:1: .+$/)

    // The patched drizzle-kit itself no longer exits 0 on a failure (it did before the patch).
    const direct = await run(process.execPath, [drizzleKit, 'push'], unreachable)
    expect(direct.code).toBe(1)
  })
})

describe('npm run db:check', () => {
  const listing = () =>
    readdirSync(join(root, 'drizzle'), { recursive: true, encoding: 'utf8' })
      .sort()
      .map((f) => [f, f.endsWith('.json') || f.endsWith('.sql') ? readFileSync(join(root, 'drizzle', f), 'utf8') : ''])

  it('passes on the committed schema and fails on a schema with an extra column', async () => {
    const drizzleBefore = listing()
    const ok = await run(process.execPath, ['scripts/check-migrations.mjs'])
    expect(ok.code, ok.stderr).toBe(0)

    const { schema } = schemaVariant('check-add-column', addNickname)
    const changed = await run(process.execPath, ['scripts/check-migrations.mjs', '--schema', schema])
    expect(changed.code).toBe(1)
    expect(changed.stderr.trim()).toBe('db:check: schema changed: run npm run db:generate and commit drizzle/')
    expect(listing()).toEqual(drizzleBefore)
  })
})
