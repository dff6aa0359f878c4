// The features phase's measurements (bench/README.md, "The features phase"): reminders delivered
// to a real SMTP listener, the export's memory while it streams, the import's time, and the
// Today and Upcoming views' plans and timings. run.ts starts the servers; this measures them.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import mysql from 'mysql2/promise'
import type { SmtpSink } from './smtp-sink'
import type { BuiltQuery, ViewQueries } from './queries'

const median = (values: number[]) => percentile(values, 0.5)

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

/** VmRSS of one process, from /proc/<pid>/status, in MiB. */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(match?.[1] ?? NaN) / 1024
}

// --- Reminders --------------------------------------------------------------------------------

/**
 * The Message-ID the email worker gives a reminder's email (server/jobs/email-worker.ts): a hash of
 * the BullMQ prefix and the job id `reminder.<todo>-<remind_at ms>` (bullJobId, reminderEmailId).
 */
export function reminderMessageId(bullPrefix: string, todoId: number, remindAt: Date, domain: string): string {
  const jobId = `reminder.${todoId}-${remindAt.getTime()}`
  return `<${createHash('sha256').update(`${bullPrefix}/${jobId}`).digest('hex').slice(0, 32)}@${domain}>`
}

export type ReminderFigures = {
  reminders: number
  users: number
  dueAt: string
  /** Seconds the imports that wrote and scheduled them took, and how long before the due time they ended. */
  importSeconds: number
  leadSeconds: number
  delivered: number
  deliveredWithin60s: number
  duplicates: number
  /** Messages the sink received that are none of the expected reminders. */
  strangers: number
  /** Arrival of the first copy of each, seconds after the due time. */
  firstS: number
  p50S: number
  p99S: number
  lastS: number
  /** Delivered per second, from the first arrival to the last. */
  mailsPerSecond: number
  /** The worker process's CPU from the due time to the last arrival. */
  workerCpuMs: number
  workerCpuMsPerReminder: number
  /** Its CPU over that wall time: 1 = one core busy throughout. */
  workerCoreShare: number
  emailConcurrency: number
  reminderConcurrency: number
  timedOut: boolean
}

/**
 * Waits for every expected reminder at the sink (or `waitS` after the due time), then a few seconds
 * more for late duplicates, and tells what arrived when.
 */
export async function collectReminders(
  sink: SmtpSink,
  expected: Map<string, number>,
  dueAt: Date,
  workerCpuMs: () => number,
  { waitS = 120, settleS = 5 } = {},
): Promise<Pick<ReminderFigures, 'delivered' | 'deliveredWithin60s' | 'duplicates' | 'strangers' | 'firstS' | 'p50S' | 'p99S' | 'lastS' | 'mailsPerSecond' | 'workerCpuMs' | 'workerCpuMsPerReminder' | 'workerCoreShare' | 'timedOut'>> {
  const due = dueAt.getTime()
  const until = due + waitS * 1000
  await sleep(Math.max(0, due - Date.now()))
  const cpuAtDue = workerCpuMs()
  const delivered = () => {
    let n = 0
    for (const id of expected.keys()) if (sink.arrivals.has(id)) n++
    return n
  }
  let timedOut = false
  for (;;) {
    if (delivered() >= expected.size) break
    if (Date.now() > until) {
      timedOut = true
      break
    }
    await sleep(250)
  }
  const wallEnd = Date.now()
  const cpu = workerCpuMs() - cpuAtDue
  await sleep(settleS * 1000)

  const firsts: number[] = []
  let duplicates = 0
  let strangers = 0
  for (const [id, times] of sink.arrivals) {
    if (!expected.has(id)) {
      strangers += times.length
      continue
    }
    firsts.push((times[0]! - due) / 1000)
    duplicates += times.length - 1
  }
  const within = firsts.filter((s) => s <= 60).length
  const first = Math.min(...firsts)
  const last = Math.max(...firsts)
  const lastArrival = firsts.length > 0 ? due + last * 1000 : wallEnd
  return {
    delivered: firsts.length,
    deliveredWithin60s: within,
    duplicates,
    strangers,
    firstS: first,
    p50S: median(firsts),
    p99S: percentile(firsts, 0.99),
    lastS: last,
    mailsPerSecond: firsts.length > 1 && last > first ? firsts.length / (last - first) : NaN,
    workerCpuMs: cpu,
    workerCpuMsPerReminder: firsts.length > 0 ? cpu / firsts.length : NaN,
    workerCoreShare: cpu / Math.max(1, lastArrival - due),
    timedOut,
  }
}

// --- Export -----------------------------------------------------------------------------------

export type ExportFigures = {
  format: 'json' | 'csv'
  todos: number
  bytes: number
  seconds: number
  idleRssMiB: number
  peakRssMiB: number
  /** Peak during the download minus idle just before it. */
  extraRssMiB: number
  samples: number
}

/**
 * Downloads the export through the app's route, sampling the instance's RSS every 10 ms meanwhile.
 * Idle is the median of a few samples just before. The body is read as it streams and only
 * counted (the todos in it too, to be sure it is the whole export).
 */
export async function measureExport(origin: string, token: string, format: 'json' | 'csv', pid: number): Promise<ExportFigures> {
  const idle: number[] = []
  for (let i = 0; i < 5; i++) {
    idle.push(rssMiB(pid))
    await sleep(50)
  }
  const idleRss = median(idle)
  let peak = idleRss
  let samples = 0
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, rssMiB(pid))
      samples++
      await sleep(10)
    }
  })()
  const started = performance.now()
  let bytes = 0
  let tail = ''
  let todos = 0
  try {
    const response = await fetch(`${origin}/api/export?format=${format}`, { headers: { Authorization: `Bearer ${token}` } })
    if (!response.ok || !response.body) throw new Error(`GET /api/export?format=${format} answered ${response.status}`)
    const decoder = new TextDecoder()
    // JSON: one `"contents":` per todo; CSV: one record per line after the header (contents hold no newlines here).
    const marker = format === 'json' ? '"contents":' : '\n'
    const reader = response.body.getReader()
    for (;;) {
      const { done, value: chunk } = await reader.read()
      if (done) break
      bytes += chunk.byteLength
      // The tail of the last chunk, shorter than the marker: a marker cut in two is counted once.
      const text = tail + decoder.decode(chunk, { stream: true })
      todos += text.split(marker).length - 1
      tail = marker.length > 1 ? text.slice(-(marker.length - 1)) : ''
    }
  } finally {
    sampling = false
    await sampler
  }
  if (format === 'csv') todos -= 1 // the header line
  return {
    format,
    todos,
    bytes,
    seconds: (performance.now() - started) / 1000,
    idleRssMiB: idleRss,
    peakRssMiB: peak,
    extraRssMiB: peak - idleRss,
    samples,
  }
}

// --- Import -----------------------------------------------------------------------------------

/** An import file of `count` todos, as an export writes them (JSON, version 1), no reminders. */
export function importBody(count: number): string {
  const now = Date.now()
  const todos = Array.from({ length: count }, (_, n) => ({
    contents: `Imported todo ${n + 1}: renew the passport, book the dentist`,
    is_done: n % 3 === 0,
    due_at: n % 4 === 0 ? null : new Date(now + (n % 200) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    remind_at: null,
    repeat: n % 10 === 1 ? 'FREQ=WEEKLY' : null,
    created_at: new Date(now - (count - n) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }))
  return JSON.stringify({ version: 1, todos, trash: [] })
}

export type ImportFigures = { rows: number; runs: number[]; medianSeconds: number }

/** One POST /api/import of `body`, timed from the request to the 201; checks that every row was imported. */
export async function timeImport(origin: string, token: string, body: string, rows: number): Promise<number> {
  const started = performance.now()
  const response = await fetch(`${origin}/api/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body,
  })
  const text = await response.text()
  const seconds = (performance.now() - started) / 1000
  if (response.status !== 201) throw new Error(`POST /api/import answered ${response.status}: ${text.slice(0, 200)}`)
  const { imported } = JSON.parse(text) as { imported: number }
  if (imported !== rows) throw new Error(`POST /api/import imported ${imported} of ${rows} rows`)
  return seconds
}

// --- Today and Upcoming -----------------------------------------------------------------------

export type ViewTimings = Record<keyof ViewQueries, { medianMs: number; p90Ms: number; rows: number }>

/**
 * Each view's page query run `rounds` times on one connection, in turns (the order reversed every
 * other round, so that a change in the machine's load weighs on each alike): the median time of one
 * query, from sending it to its last row.
 */
export async function timeViews(url: string, queries: ViewQueries, rounds = 200): Promise<ViewTimings> {
  const conn = await mysql.createConnection({ uri: url, timezone: 'Z' })
  try {
    const names = Object.keys(queries) as (keyof ViewQueries)[]
    const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof ViewQueries, number[]>
    const rowCounts = {} as Record<keyof ViewQueries, number>
    const run = async (query: BuiltQuery) => {
      const started = performance.now()
      const [rows] = await conn.query<mysql.RowDataPacket[]>(query.sql, query.params)
      return { ms: performance.now() - started, rows: rows.length }
    }
    for (const name of names) await run(queries[name]) // warm the buffer pool
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse()
      for (const name of order) {
        const { ms, rows } = await run(queries[name])
        times[name].push(ms)
        rowCounts[name] = rows
      }
    }
    return Object.fromEntries(
      names.map((name) => [name, { medianMs: median(times[name]), p90Ms: percentile(times[name], 0.9), rows: rowCounts[name] }]),
    ) as ViewTimings
  } finally {
    await conn.end()
  }
}
