import 'server-only'
import { and, asc, eq, gt, isNotNull, isNull, sql, type SQL } from 'drizzle-orm'
import { todo, user } from '@/db/schema'
import { csvRecord, CsvSyntaxError, parseCsv } from '@/lib/csv'
import { translateMessage, type Translator } from '@/lib/validation/messages'
import { parseRfc3339, RepeatRuleSchema, TodoContentsSchema } from '@/lib/validation/todo'
import { userCache } from './cache'
import { db } from './db'
import { transaction } from './db-scope'
import { DatabaseUnavailableError, isDatabaseUnavailable } from './db-errors'
import { syncReminders } from './jobs/reminders'
import { accountLimits, consumeWrite, TodoLimitError, todoCountOf } from './limits'
import type { Viewer } from './users'

// Export and import of one account's todos (docs/decisions/0013-export-and-import.md).

/** Largest import body, in bytes (2 MiB). */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024
/** Most todos one import may carry (live and trash together). */
export const IMPORT_MAX_TODOS = 5_000
/** How many rows of a refused import are named. */
const MAX_ISSUES = 20
/** Rows read per query while exporting: memory stays one batch, whatever the account holds. */
const EXPORT_BATCH = 500

export const CSV_COLUMNS = ['id', 'contents', 'is_done', 'due_at', 'remind_at', 'repeat', 'created_at', 'updated_at'] as const

const iso = (instant: Date | null): string | null => (instant ? instant.toISOString().replace(/\.\d{3}Z$/, 'Z') : null)

const exportColumns = {
  id: todo.id,
  contents: todo.contents,
  isDone: todo.isDone,
  dueAt: todo.dueAt,
  remindAt: todo.remindAt,
  repeat: todo.repeat,
  createdAt: todo.createdAt,
  updatedAt: todo.updatedAt,
  deletedAt: todo.deletedAt,
}
type ExportRow = { [K in keyof typeof exportColumns]: (typeof exportColumns)[K]['_']['data'] | null }

/** A todo as the export writes it: every field, instants in RFC 3339 UTC. */
export function exportTodo(row: ExportRow, trashed: boolean) {
  return {
    id: row.id,
    contents: row.contents,
    is_done: row.isDone,
    due_at: iso(row.dueAt),
    remind_at: iso(row.remindAt),
    repeat: row.repeat,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    ...(trashed ? { deleted_at: iso(row.deletedAt) } : {}),
  }
}

/** The viewer's todos (live or trashed) in id order, one keyset-paginated batch at a time. */
async function* batchesOf(viewerId: number, trashed: boolean): AsyncGenerator<ExportRow[]> {
  let after = 0
  for (;;) {
    const where: SQL | undefined = and(
      eq(todo.userId, viewerId),
      trashed ? isNotNull(todo.deletedAt) : isNull(todo.deletedAt),
      gt(todo.id, after),
    )
    const rows = await db.select(exportColumns).from(todo).where(where).orderBy(asc(todo.id)).limit(EXPORT_BATCH)
    if (rows.length === 0) return
    yield rows
    if (rows.length < EXPORT_BATCH) return
    after = rows[rows.length - 1]!.id
  }
}

/** A stream of text chunks as UTF-8 bytes, pulled one chunk at a time (back-pressure from the reader). */
function byteStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await chunks.next()
        if (done) controller.close()
        else controller.enqueue(encoder.encode(value))
      } catch (error) {
        controller.error(error)
      }
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
}

/** The account's fields the export carries; null when the account is gone. */
async function exportedUser(viewer: Viewer) {
  const [found] = await db
    .select({ username: user.username, email: user.email, timeZone: user.timeZone, locale: user.locale })
    .from(user)
    .where(eq(user.id, viewer.id))
  return found ? { username: found.username, email: found.email, time_zone: found.timeZone, locale: found.locale } : null
}

async function* jsonChunks(viewer: Viewer, account: NonNullable<Awaited<ReturnType<typeof exportedUser>>>) {
  const head = { version: 1, exported_at: iso(new Date()), user: account }
  yield `${JSON.stringify(head).slice(0, -1)},"todos":[`
  for (const trashed of [false, true]) {
    if (trashed) yield '],"trash":['
    let first = true
    for await (const rows of batchesOf(viewer.id, trashed)) {
      const text = rows.map((row) => JSON.stringify(exportTodo(row, trashed))).join(',')
      yield first ? text : `,${text}`
      first = false
    }
  }
  yield ']}\n'
}

async function* csvChunks(viewer: Viewer) {
  // The BOM tells spreadsheets the text is UTF-8 (Hangul otherwise opens as mojibake).
  yield `\uFEFF${csvRecord(CSV_COLUMNS)}`
  for await (const rows of batchesOf(viewer.id, false)) {
    yield rows
      .map((row) => {
        const t = exportTodo(row, false)
        return csvRecord([t.id, t.contents, t.is_done, t.due_at, t.remind_at, t.repeat, t.created_at, t.updated_at])
      })
      .join('')
  }
}

/**
 * The viewer's export as a byte stream (JSON: live todos and the trash; CSV: live todos), read in
 * batches while it is sent. Null when the account is gone.
 */
export async function exportTodos(viewer: Viewer, format: 'json' | 'csv'): Promise<ReadableStream<Uint8Array> | null> {
  try {
    const account = await exportedUser(viewer)
    if (!account) return null
    return byteStream(format === 'csv' ? csvChunks(viewer) : jsonChunks(viewer, account))
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw new DatabaseUnavailableError(error)
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Import

/**
 * One bad row: where (`todos` or `trash`, its 1-based number, the field) and a message key under
 * `validation.` or `transfer.errors.` (the API answers it in English, the page in the reader's language).
 */
export type ImportIssue = { section: 'todos' | 'trash'; row: number; field: string; key: string }

/** An import refused before anything was written: its message key and, for row errors, the rows. */
export class ImportError extends Error {
  constructor(
    readonly key: string,
    readonly issues: ImportIssue[] = [],
    readonly values: Record<string, string | number> = {},
  ) {
    super(key)
    this.name = 'ImportError'
  }
}

export type ImportResult = { imported: number; skipped: number }

type RawRow = Record<string, unknown>
type ParsedRow = {
  contents: string
  isDone: boolean
  dueAt: Date | null
  remindAt: Date | null
  repeat: string | null
  createdAt: Date | null
  deletedAt: Date | null
}

/** What an import body was: our JSON export, or a CSV with at least a `contents` column. */
export type ImportSource = { format: 'json' | 'csv'; text: string }

/** JSON or CSV, from the declared type, else from the first character. */
export function importSourceOf(text: string, contentType: string | null | undefined, fileName?: string): ImportSource {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
  if (type === 'application/json' || fileName?.toLowerCase().endsWith('.json')) return { format: 'json', text }
  if (type === 'text/csv' || fileName?.toLowerCase().endsWith('.csv')) return { format: 'csv', text }
  const start = text.replace(/^\uFEFF/, '').trimStart()
  return { format: start.startsWith('{') || start.startsWith('[') ? 'json' : 'csv', text }
}

function rowsOfJson(text: string): { todos: RawRow[]; trash: RawRow[] } {
  let body: unknown
  try {
    body = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    throw new ImportError('transfer.errors.badJson')
  }
  if (Array.isArray(body)) body = { todos: body }
  if (typeof body !== 'object' || body === null) throw new ImportError('transfer.errors.badJson')
  const { version, todos, trash } = body as { version?: unknown; todos?: unknown; trash?: unknown }
  if (version !== undefined && version !== 1) throw new ImportError('transfer.errors.version')
  const list = (value: unknown) => {
    if (value === undefined || value === null) return []
    if (!Array.isArray(value)) throw new ImportError('transfer.errors.badJson')
    return value.map((item) => (typeof item === 'object' && item !== null ? (item as RawRow) : { contents: item }))
  }
  return { todos: list(todos), trash: list(trash) }
}

const CSV_IMPORT_COLUMNS = ['contents', 'is_done', 'due_at', 'remind_at', 'repeat', 'created_at'] as const

function rowsOfCsv(text: string): RawRow[] {
  let records: string[][]
  try {
    records = parseCsv(text)
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportError('transfer.errors.badCsv', [], { line: error.line })
    throw error
  }
  const [header, ...data] = records
  const columns = (header ?? []).map((name) => name.trim().toLowerCase())
  if (!columns.includes('contents')) throw new ImportError('transfer.errors.noContents')
  const wanted = columns.map((name) => ((CSV_IMPORT_COLUMNS as readonly string[]).includes(name) ? name : null))
  return data.map((record) => {
    const row: RawRow = {}
    wanted.forEach((name, i) => {
      if (name && row[name] === undefined) row[name] = record[i] ?? ''
    })
    return row
  })
}

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '')

function parseBoolean(value: unknown): boolean | undefined {
  if (blank(value)) return false
  if (typeof value === 'boolean') return value
  const text = String(value).trim().toLowerCase()
  if (['true', '1', 'yes'].includes(text)) return true
  if (['false', '0', 'no'].includes(text)) return false
  return undefined
}

function parseInstant(value: unknown): Date | null | undefined {
  if (blank(value)) return null
  return typeof value === 'string' ? (parseRfc3339(value.trim()) ?? undefined) : undefined
}

// TIMESTAMP (created_at) holds 1970-01-01 00:00:01 to 2038-01-19 UTC.
const TIMESTAMP_MIN = Date.UTC(1970, 0, 1, 0, 0, 1)

/** One row checked like a new todo; issues are pushed, the row returned only when it is clean. */
function parseRow(raw: RawRow, section: ImportIssue['section'], row: number, now: Date, issues: ImportIssue[]): ParsedRow | null {
  const before = issues.length
  const issue = (field: string, key: string) => issues.push({ section, row, field, key })

  const contents = TodoContentsSchema.safeParse(raw.contents ?? '')
  if (!contents.success) issue('contents', contents.error.issues[0]?.message ?? 'validation.invalid')
  const isDone = parseBoolean(raw.is_done)
  if (isDone === undefined) issue('is_done', 'validation.isDone.type')
  const dueAt = parseInstant(raw.due_at)
  if (dueAt === undefined) issue('due_at', 'validation.due.invalid')
  let remindAt = parseInstant(raw.remind_at)
  if (remindAt === undefined) issue('remind_at', 'validation.remind.invalid')
  let repeat: string | null = null
  if (!blank(raw.repeat)) {
    const rule = RepeatRuleSchema.safeParse(raw.repeat)
    if (rule.success) repeat = rule.data
    else issue('repeat', 'validation.repeat.invalid')
  }
  if (repeat && dueAt === null) issue('repeat', 'validation.repeat.needsDue')
  const createdAt = parseInstant(raw.created_at)
  if (createdAt === undefined || (createdAt && createdAt.getTime() < TIMESTAMP_MIN)) issue('created_at', 'transfer.errors.createdAt')
  else if (createdAt && createdAt.getTime() > now.getTime() + 60_000) issue('created_at', 'transfer.errors.createdAtFuture')
  let deletedAt: Date | null = null
  if (section === 'trash') {
    const when = parseInstant(raw.deleted_at)
    if (when === undefined) issue('deleted_at', 'transfer.errors.deletedAt')
    deletedAt = when ?? now
  }
  if (issues.length > before || !contents.success) return null

  // A reminder already past is dropped, not refused: every export of last month's todos holds
  // some, and their email went out (or was due) long ago. The row is kept.
  if (remindAt && remindAt.getTime() < now.getTime()) remindAt = null
  return {
    contents: contents.data,
    isDone: isDone!,
    dueAt: dueAt ?? null,
    remindAt: remindAt ?? null,
    repeat,
    createdAt: createdAt ?? null,
    deletedAt,
  }
}

/** Parses and checks a whole import; throws ImportError naming the first bad rows. */
export function parseImport(source: ImportSource, now = new Date()): ParsedRow[] {
  const { todos, trash } = source.format === 'json' ? rowsOfJson(source.text) : { todos: rowsOfCsv(source.text), trash: [] }
  const total = todos.length + trash.length
  if (total > IMPORT_MAX_TODOS) throw new ImportError('transfer.errors.tooMany', [], { max: IMPORT_MAX_TODOS, count: total })
  if (total === 0) throw new ImportError('transfer.errors.empty')
  const issues: ImportIssue[] = []
  const parsed: ParsedRow[] = []
  for (const [section, rows] of [['todos', todos], ['trash', trash]] as const) {
    rows.forEach((raw, i) => {
      const row = parseRow(raw, section, i + 1, now, issues)
      if (row) parsed.push(row)
    })
  }
  if (issues.length > 0) throw new ImportError('transfer.errors.invalidRows', issues.slice(0, MAX_ISSUES), { count: issues.length })
  return parsed
}

const identity = (contents: string, createdAt: Date) => `${createdAt.getTime() / 1000}\u0000${contents}`

const INSERT_BATCH = 500

/**
 * Imports todos into the viewer's account, all or nothing, in one transaction. A row with the
 * contents and created_at of a todo the account already holds (or of an earlier row) is skipped,
 * so importing one export twice adds nothing. Throws ImportError (bad input), TodoLimitError (the
 * account would pass TODO_LIMIT_PER_USER), WriteRateError (counted as one write).
 */
export async function importTodos(viewer: Viewer, source: ImportSource): Promise<ImportResult> {
  // Not a writeFunction: its 5-second data timeout is for single rows, an import may take longer.
  await consumeWrite(viewer)
  const now = new Date()
  const rows = parseImport(source, now)
  try {
    const result = await transaction(async (tx) => {
      // Two imports into one account run one after the other: each sees the other's rows.
      await tx.select({ id: user.id }).from(user).where(eq(user.id, viewer.id)).for('update')
      const existing = await tx
        .select({ contents: todo.contents, createdAt: todo.createdAt })
        .from(todo)
        .where(eq(todo.userId, viewer.id))
      const seen = new Set(existing.map((row) => identity(row.contents, row.createdAt)))
      const fresh = rows.filter((row) => {
        if (!row.createdAt) return true
        const key = identity(row.contents, row.createdAt)
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      if (existing.length + fresh.length > accountLimits.todosPerUser) throw new TodoLimitError(accountLimits.todosPerUser)
      for (let i = 0; i < fresh.length; i += INSERT_BATCH) {
        await tx.insert(todo).values(
          fresh.slice(i, i + INSERT_BATCH).map((row) => ({
            userId: viewer.id,
            contents: row.contents,
            isDone: row.isDone,
            dueAt: row.dueAt,
            remindAt: row.remindAt,
            repeat: row.repeat,
            deletedAt: row.deletedAt,
            ...(row.createdAt ? { createdAt: row.createdAt } : {}),
          })),
        )
      }
      return { imported: fresh.length, skipped: rows.length - fresh.length }
    })
    await userCache.invalidate(viewer.id)
    if (rows.some((row) => row.remindAt && !row.isDone && !row.deletedAt)) {
      // Imported rows have no id yet here: schedule every pending reminder of the account (idempotent).
      const pending = await db
        .select({ id: todo.id })
        .from(todo)
        .where(
          and(
            eq(todo.userId, viewer.id),
            isNull(todo.deletedAt),
            eq(todo.isDone, false),
            gt(todo.remindAt, now),
            sql`${todo.reminderQueuedFor} is null`,
          ),
        )
      await syncReminders(pending.map((row) => row.id))
    }
    return result
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw new DatabaseUnavailableError(error)
    throw error
  }
}

/** How many more todos the viewer may hold (for the account page). */
export async function todoRoomOf(viewer: Viewer): Promise<{ count: number; limit: number }> {
  return { count: await todoCountOf(viewer.id), limit: accountLimits.todosPerUser }
}

function issueMessage(t: Translator, key: string, values: Record<string, string | number> = {}): string {
  return key.startsWith('validation.') ? translateMessage(t, key) : t(key, values)
}

/** An ImportError as the API's 422 detail, FastAPI-shaped: one entry per bad row (`loc`: section, row, field). */
export function importErrorDetail(error: ImportError, t: Translator) {
  if (error.issues.length === 0) return [{ type: 'value_error', loc: ['body'], msg: issueMessage(t, error.key, error.values) }]
  return error.issues.map((issue) => ({
    type: 'value_error',
    loc: [issue.section, issue.row, issue.field],
    msg: issueMessage(t, issue.key),
  }))
}

/** An ImportError for the page: a summary, and one line per named row. */
export function importErrorLines(error: ImportError, t: Translator): { summary: string; rows: string[] } {
  return {
    summary: issueMessage(t, error.key, error.values),
    rows: error.issues.map((issue) =>
      t(issue.section === 'trash' ? 'transfer.errors.trashRow' : 'transfer.errors.row', {
        row: issue.row,
        field: issue.field,
        message: issueMessage(t, issue.key),
      }),
    ),
  }
}
