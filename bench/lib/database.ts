// The benchmark's own database: created from db/schema.ts the way `npm run db:push` does, seeded
// in bulk with INSERT … SELECT over a numbers table (never row by row), and read for the counters
// and query plans the report needs.
import { hash } from '@node-rs/argon2'
import mysql from 'mysql2/promise'
import { ensureDatabase, pushSchema } from '../../scripts/lib/database'
import { usernameKey } from '../../lib/validation/username-key'
import { API_LIST_SQL, PAGE_LIST_SQL } from './queries'

/** The password of every seeded account. */
export const BENCH_PASSWORD = 'violet kettle drums'

/** Seeded accounts: the reader and toggler have 20 todos each; `many` gets 5,000 in the scale phase. */
/**
 * reader: 20 todos, read by the list cases; toggler: 20, for the API toggles; many: 5,000 on the big
 * database; clicker: 20, for the page's clicks; adder: 50 (a full first page, which adds do not
 * change: the page shows the first 50 in id order), for the page's adds; deleter: DELETER_TODOS, each
 * deleted once by the page's deletes (ids contiguous, so that wrk.lua can walk them).
 */
export type BenchUsers = { reader: SeededUser; toggler: SeededUser; many: SeededUser; clicker: SeededUser; adder: SeededUser; deleter: SeededUser }

/** Enough for the deletes of one case (about 70 a second here for 12 s, warm-up included). */
export const DELETER_TODOS = 1_200
export type SeededUser = { id: number; username: string; todoIds: number[] }

/** Whether an index (each of an index_merge's) starts with user_id (db/schema.ts names them todo_user_id_…): every read of todo must use one. */
const isUserIndex = (key: string | null) => key !== null && key.split(',').every((part) => part.startsWith('todo_user_id_'))

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

/** Drops and recreates the database, then pushes the schema with the project's patched drizzle-kit. */
export async function createFreshDatabase(url: string): Promise<void> {
  await dropDatabase(url)
  await ensureDatabase(url)
  await pushSchema(url, { echo: false })
}

export async function dropDatabase(url: string): Promise<void> {
  const server = new URL(url)
  server.pathname = ''
  const conn = await mysql.createConnection(server.toString())
  try {
    await conn.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(databaseName(url))}`)
  } finally {
    await conn.end()
  }
}

/** One argon2id hash at the app's parameters (server/auth/password.ts), shared by every seeded account. */
export function passwordHash(): Promise<string> {
  return hash(BENCH_PASSWORD.normalize('NFKC'), { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 })
}

/** A connection for seeding: bulk statements with a bound on each, so a stuck seed cannot hang the run. */
export async function connect(url: string): Promise<mysql.Connection> {
  const conn = await mysql.createConnection({ uri: url, multipleStatements: false, timezone: 'Z' })
  // The rows are consistent by construction: skip the per-row foreign-key and uniqueness lookups.
  await conn.query('SET SESSION foreign_key_checks = 0, unique_checks = 0')
  try {
    await conn.query('SET SESSION max_statement_time = 120') // MariaDB; MySQL has no such bound
  } catch {
    // MySQL: no per-statement bound on writes
  }
  return conn
}

/** 0..9,999 in a temporary table: the source of every bulk INSERT … SELECT below. */
async function ensureNumbers(conn: mysql.Connection): Promise<void> {
  const digits = 'select 0 d union all select 1 union all select 2 union all select 3 union all select 4 ' +
    'union all select 5 union all select 6 union all select 7 union all select 8 union all select 9'
  await conn.query('CREATE TEMPORARY TABLE IF NOT EXISTS bench_numbers (n int primary key)')
  await conn.query(
    `INSERT IGNORE INTO bench_numbers (n) SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d
     FROM (${digits}) a CROSS JOIN (${digits}) b CROSS JOIN (${digits}) c CROSS JOIN (${digits}) e`,
  )
}

async function insertUser(conn: mysql.Connection, username: string, phc: string): Promise<number> {
  const [result] = await conn.query<mysql.ResultSetHeader>(
    'INSERT INTO `user` (username, username_key, password) VALUES (?, ?, ?)',
    [username, usernameKey(username), phc],
  )
  return result.insertId
}

/** `count` todos for one user, in one statement; returns their ids, oldest first. */
async function insertTodos(conn: mysql.Connection, userId: number, count: number, label: string): Promise<number[]> {
  await conn.query(
    'INSERT INTO todo (contents, is_done, user_id) SELECT CONCAT(?, n + 1), n % 3 = 0, ? FROM bench_numbers WHERE n < ? ORDER BY n',
    [`${label} `, userId, count],
  )
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT id FROM todo WHERE user_id = ? ORDER BY id', [userId])
  return rows.map((row) => Number(row.id))
}

/**
 * The small database: about 2,300 todos. The reader, the toggler and the clicker have 20 each, the adder 50, the deleter 1,200, 48 other users
 * 20 each, and `many` none yet (so that logging in as `many` can happen before the scale phase).
 */
export async function seedSmall(url: string, phc: string, prefix: string): Promise<BenchUsers> {
  const conn = await connect(url)
  try {
    await ensureNumbers(conn)
    const reader = `${prefix}_reader`
    const toggler = `${prefix}_toggler`
    const many = `${prefix}_many`
    const clicker = `${prefix}_clicker`
    const adder = `${prefix}_adder`
    const deleter = `${prefix}_deleter`
    const readerId = await insertUser(conn, reader, phc)
    const togglerId = await insertUser(conn, toggler, phc)
    const manyId = await insertUser(conn, many, phc)
    const clickerId = await insertUser(conn, clicker, phc)
    const adderId = await insertUser(conn, adder, phc)
    const deleterId = await insertUser(conn, deleter, phc)
    await conn.query(
      // ASCII names: their key is their lower case (lib/validation/username-key.ts).
      'INSERT INTO `user` (username, username_key, password)' +
        " SELECT CONCAT(?, LPAD(n, 2, '0')), LOWER(CONCAT(?, LPAD(n, 2, '0'))), ? FROM bench_numbers WHERE n < 48",
      [`${prefix}_other_`, `${prefix}_other_`, phc],
    )
    const readerTodos = await insertTodos(conn, readerId, 20, 'Reader todo')
    const togglerTodos = await insertTodos(conn, togglerId, 20, 'Toggler todo')
    const clickerTodos = await insertTodos(conn, clickerId, 20, 'Clicker todo')
    const adderTodos = await insertTodos(conn, adderId, 50, 'Adder todo')
    const deleterTodos = await insertTodos(conn, deleterId, DELETER_TODOS, 'Deleter todo')
    if (deleterTodos.at(-1)! - deleterTodos[0]! !== DELETER_TODOS - 1) throw new Error("the deleter's todo ids are not contiguous")
    await conn.query(
      `INSERT INTO todo (contents, is_done, user_id)
       SELECT CONCAT('Other todo ', t.n + 1), t.n % 3 = 0, u.id
       FROM bench_numbers t CROSS JOIN \`user\` u
       WHERE t.n < 20 AND u.username LIKE ? ORDER BY t.n, u.id`,
      [`${prefix}\\_other\\_%`],
    )
    return {
      reader: { id: readerId, username: reader, todoIds: readerTodos },
      toggler: { id: togglerId, username: toggler, todoIds: togglerTodos },
      many: { id: manyId, username: many, todoIds: [] },
      clicker: { id: clickerId, username: clicker, todoIds: clickerTodos },
      adder: { id: adderId, username: adder, todoIds: adderTodos },
      deleter: { id: deleterId, username: deleter, todoIds: deleterTodos },
    }
  } finally {
    await conn.end()
  }
}

export type ScaleSeed = { users: number; todos: number; seconds: number }

/**
 * The big database: `users` more accounts with `perUser` todos each, written round by round (todo
 * k of every user, then k+1) so that each user's rows lie scattered over the table as if they had
 * been added over time; then 5,000 todos for `many`. Statistics are refreshed afterwards.
 */
export async function seedScale(
  url: string,
  phc: string,
  prefix: string,
  many: SeededUser,
  { users = 10_000, perUser = 100, manyTodos = 5_000 } = {},
): Promise<ScaleSeed> {
  const started = performance.now()
  const conn = await connect(url)
  try {
    await ensureNumbers(conn)
    await conn.query(
      'INSERT INTO `user` (username, username_key, password)' +
        " SELECT CONCAT(?, LPAD(n, 5, '0')), LOWER(CONCAT(?, LPAD(n, 5, '0'))), ? FROM bench_numbers WHERE n < ? ORDER BY n",
      [`${prefix}_scale_`, `${prefix}_scale_`, phc, users],
    )
    const [[range]] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT MIN(id) AS first, MAX(id) AS last FROM `user` WHERE username LIKE ?',
      [`${prefix}\\_scale\\_%`],
    )
    const firstId = Number(range?.first)
    const lastId = Number(range?.last)
    // Ten statements of ten rounds each: bulk, yet each one well within the statement bound.
    for (let round = 0; round < perUser; round += 10) {
      await conn.query(
        `INSERT INTO todo (contents, is_done, user_id)
         SELECT CONCAT('Scale todo ', t.n + 1), t.n % 3 = 0, u.id
         FROM bench_numbers t CROSS JOIN \`user\` u
         WHERE t.n >= ? AND t.n < ? AND u.id BETWEEN ? AND ? ORDER BY t.n, u.id`,
        [round, Math.min(round + 10, perUser), firstId, lastId],
      )
    }
    many.todoIds = await insertTodos(conn, many.id, manyTodos, 'Many todo')
    await conn.query('ANALYZE TABLE `user`, todo')
    const [[count]] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM todo')
    return { users, todos: Number(count?.n), seconds: (performance.now() - started) / 1000 }
  } finally {
    await conn.end()
  }
}

export async function countTodos(url: string): Promise<number> {
  const conn = await mysql.createConnection(url)
  try {
    const [[row]] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM todo')
    return Number(row?.n)
  } finally {
    await conn.end()
  }
}

export type PlanRow = { table: string; type: string; key: string | null; rows: number; extra: string }
/**
 * `sortsWholeList`: the user's todos are joined, then all of them sorted (a filesort with no derived
 * table in front), rather than one page read in index order and only that page sorted.
 */
export type Plan = { query: string; rows: PlanRow[]; usesUserIndex: boolean; sortsWholeList: boolean }

/** EXPLAIN of the API list and of the page's query for one user. */
export async function explainLists(url: string, userId: number): Promise<Plan[]> {
  const conn = await mysql.createConnection(url)
  try {
    const plans: Plan[] = []
    const queries: [string, string, number[]][] = [
      ['API list (listAllTodosJson)', API_LIST_SQL, [userId]],
      ['page 1 (loadTodoPage)', PAGE_LIST_SQL, [userId, userId, userId, 50, userId]],
    ]
    for (const [query, sql, params] of queries) {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(`EXPLAIN ${sql}`, params)
      const plan = rows.map((row) => ({
        table: String(row.table),
        type: String(row.type),
        key: row.key === null ? null : String(row.key),
        rows: Number(row.rows),
        extra: String(row.Extra ?? ''),
      }))
      const todoRows = plan.filter((row) => row.table === 'todo')
      plans.push({
        query,
        rows: plan,
        usesUserIndex: todoRows.length > 0 && todoRows.every((row) => isUserIndex(row.key)),
        sortsWholeList:
          plan.some((row) => /filesort/i.test(row.extra)) && !plan.some((row) => row.table.startsWith('<derived')),
      })
    }
    return plans
  } finally {
    await conn.end()
  }
}

const COUNTED = ['Com_select', 'Com_insert', 'Com_update', 'Com_delete'] as const

/** Statements the server has run since it started (all clients): SELECT, INSERT, UPDATE and DELETE. */
export async function statementCount(conn: mysql.Connection): Promise<number> {
  // SHOW GLOBAL STATUS counts as Com_show_status, not as any of these: reading does not disturb them.
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTED.map(() => '?').join(', ')})`,
    [...COUNTED],
  )
  return rows.reduce((sum, row) => sum + Number(row.Value), 0)
}

/** `count` accounts named `<prefix>_live_NNNN` (password BENCH_PASSWORD) for the live-stream cases. */
export async function seedLiveUsers(url: string, phc: string, prefix: string, count: number): Promise<string[]> {
  const conn = await connect(url)
  try {
    await ensureNumbers(conn)
    await conn.query(
      'INSERT INTO `user` (username, username_key, password)' +
        " SELECT CONCAT(?, LPAD(n, 4, '0')), LOWER(CONCAT(?, LPAD(n, 4, '0'))), ? FROM bench_numbers WHERE n < ?",
      [`${prefix}_live_`, `${prefix}_live_`, phc, count],
    )
    return Array.from({ length: count }, (_, n) => `${prefix}_live_${String(n).padStart(4, '0')}`)
  } finally {
    await conn.end()
  }
}

/** The features phase's accounts (bench/README.md, "The features phase"). */
export type FeatureUsers = {
  /** Verified addresses, no todos yet: the reminders arrive through the import. */
  reminders: SeededUser[]
  /** 10,000 todos (the account limit), for the export. */
  exporter: SeededUser
  /** 5,000 todos, some due today or overdue, some in the next days, the rest later or never. */
  views: SeededUser
  /** Empty, one per timed import. */
  importers: SeededUser[]
}

/** Seeds the features phase's database in bulk (the reminders' todos come later, through the app). */
export async function seedFeatures(
  url: string,
  phc: string,
  prefix: string,
  { reminderUsers, importers }: { reminderUsers: number; importers: number },
): Promise<FeatureUsers> {
  const conn = await connect(url)
  try {
    await ensureNumbers(conn)
    const remindersPrefix = `${prefix}_rem_`
    await conn.query(
      'INSERT INTO `user` (username, username_key, password, email, email_verified_at)' +
        " SELECT CONCAT(?, LPAD(n, 4, '0')), LOWER(CONCAT(?, LPAD(n, 4, '0'))), ?, CONCAT(?, LPAD(n, 4, '0'), '@bench.localhost'), UTC_TIMESTAMP()" +
        ' FROM bench_numbers WHERE n < ? ORDER BY n',
      [remindersPrefix, remindersPrefix, phc, remindersPrefix, reminderUsers],
    )
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT id, username FROM `user` WHERE username LIKE ? ORDER BY id', [
      `${prefix}\\_rem\\_%`,
    ])
    const reminders = rows.map((row) => ({ id: Number(row.id), username: String(row.username), todoIds: [] }))

    const exporterName = `${prefix}_exporter`
    const exporterId = await insertUser(conn, exporterName, phc)
    await conn.query(
      // Every field filled, as a real export would carry: a due date on most, a repeat rule on some.
      'INSERT INTO todo (contents, is_done, due_at, `repeat`, user_id)' +
        " SELECT CONCAT('Exported todo ', n + 1, ': pick up the dry cleaning, call the bank, water the ferns'), n % 3 = 0," +
        " IF(n % 4 = 0, NULL, UTC_TIMESTAMP() + INTERVAL (n % 400) DAY), IF(n % 10 = 0, 'FREQ=WEEKLY', NULL), ?" +
        ' FROM bench_numbers WHERE n < 10000 ORDER BY n',
      [exporterId],
    )

    const viewsName = `${prefix}_views`
    const viewsId = await insertUser(conn, viewsName, phc)
    // 5,000 todos: a tenth due today or overdue, a tenth in the coming six days, three tenths later,
    // half without a date; a third done. Today and Upcoming each show some hundreds.
    await conn.query(
      'INSERT INTO todo (contents, is_done, due_at, user_id)' +
        " SELECT CONCAT('Views todo ', n + 1), n % 3 = 0," +
        ' CASE WHEN n % 10 = 0 THEN UTC_DATE() - INTERVAL (n % 20) DAY + INTERVAL 12 HOUR' +
        '      WHEN n % 10 = 1 THEN UTC_DATE() + INTERVAL (1 + n % 6) DAY + INTERVAL 9 HOUR' +
        '      WHEN n % 10 < 5 THEN UTC_DATE() + INTERVAL (8 + n % 300) DAY' +
        '      ELSE NULL END, ?' +
        ' FROM bench_numbers WHERE n < 5000 ORDER BY n',
      [viewsId],
    )

    const importerList: SeededUser[] = []
    for (let i = 0; i < importers; i++) {
      const username = `${prefix}_importer_${i}`
      importerList.push({ id: await insertUser(conn, username, phc), username, todoIds: [] })
    }
    await conn.query('ANALYZE TABLE `user`, todo')
    return {
      reminders,
      exporter: { id: exporterId, username: exporterName, todoIds: [] },
      views: { id: viewsId, username: viewsName, todoIds: [] },
      importers: importerList,
    }
  } finally {
    await conn.end()
  }
}

/** The index Today and Upcoming read their page from (db/schema.ts). */
export const DUE_INDEX = 'todo_user_id_is_done_due_at_idx'

/**
 * EXPLAIN of built queries (bench/lib/queries.ts, viewQueries). `usesUserIndex`: every access to
 * todo goes through an index that starts with user_id; `sortsWholeList`: some access to todo
 * sorts its rows (a filesort on todo itself, not on the page's derived table); `pageKey`: the
 * index the page's own read of todo (the derived table) uses.
 */
export async function explainBuilt(url: string, queries: { query: string; sql: string; params: unknown[] }[]): Promise<(Plan & { pageKey: string | null })[]> {
  const conn = await mysql.createConnection({ uri: url, timezone: 'Z' })
  try {
    const plans: (Plan & { pageKey: string | null })[] = []
    for (const { query, sql, params } of queries) {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(`EXPLAIN ${sql}`, params)
      const plan = rows.map((row) => ({
        table: String(row.table),
        type: String(row.type),
        key: row.key === null ? null : String(row.key),
        rows: Number(row.rows),
        extra: String(row.Extra ?? ''),
        selectType: String(row.select_type),
      }))
      const todoRows = plan.filter((row) => row.table === 'todo')
      plans.push({
        query,
        rows: plan.map(({ selectType: _s, ...row }) => row),
        usesUserIndex: todoRows.length > 0 && todoRows.every((row) => isUserIndex(row.key)),
        sortsWholeList: todoRows.some((row) => /filesort/i.test(row.extra)),
        pageKey: plan.find((row) => row.table === 'todo' && row.selectType === 'DERIVED')?.key ?? null,
      })
    }
    return plans
  } finally {
    await conn.end()
  }
}
