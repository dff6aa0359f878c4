// The report: one markdown table of every case (each figure also a ratio to the floors measured in
// the same run), the targets met or missed, and the numbers behind them.
import type { Plan } from './database'
import type { ExportFigures, ReminderFigures, ViewTimings } from './features'
import type { LoadResult } from './load'

export type CaseResult = LoadResult & {
  id: string
  title: string
  /** Which server answered: app (cache on), app-nocache, floor, or the --base server. */
  server: string
  connections: number
  /** Server CPU (the process and its children, from /proc) per request; null when not ours to read. */
  cpuMsPerRequest: number | null
  /** The server's resident memory right after the case; null when not ours to read. */
  rssMiB: number | null
  /** 1-minute load average when the case started: other work on the machine shows here. */
  loadAtStart: number
  note?: string
}

/** The features phase's figures: reminders, export, import, the Today and Upcoming views. */
export type FeatureFigures = {
  database: string
  /** How the workers ran. */
  worker: string
  reminders: ReminderFigures
  exports: ExportFigures[]
  import: { rows: number; runs: number[]; medianSeconds: number }
  views: { timings: ViewTimings; plans: (Plan & { pageKey: string | null })[] }
}

export type Verdict = { target: string; measured: string; met: boolean | null }

export type Report = {
  startedAt: string
  finishedAt: string
  mode: 'app' | 'base' | 'stack'
  /** What served the app: `next start`, `node server.mjs`, or the --base URL. */
  server: string
  tool: string
  /** The machine that ran the load and the server (absent in reports written before it was recorded). */
  machine?: { cpu: string; cores: number }
  secondsPerCase: number
  warmupSeconds: number
  connections: number
  loadBefore: string
  loadAfter: string
  cases: CaseResult[]
  verdicts: Verdict[]
  queriesPerRequest: Record<string, number>
  cacheHitRate: number | null
  scale?: { users: number; todos: number; seconds: number; plans: Plan[] }
  /** The features phase (absent with --skip-features, and in reports written before it existed). */
  features?: FeatureFigures
  notes: string[]
}

const fixed = (value: number, digits: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

const rate = (value: number) => fixed(value, value < 100 ? 1 : 0)
const ms = (value: number) => fixed(value, value < 10 ? 2 : 1)
const ratio = (value: number | null) => (value === null || !Number.isFinite(value) ? '—' : `${fixed(value, 2)}×`)

export function formatTable(cases: CaseResult[], health: CaseResult | undefined, floor: CaseResult | undefined): string {
  const lines = [
    '| case | server | req/s | vs health | vs floor | p50 ms | p99 ms | CPU ms/req | CPU vs floor | errors | RSS MiB | load |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const c of cases) {
    const cpuRatio =
      c.cpuMsPerRequest !== null && floor?.cpuMsPerRequest ? c.cpuMsPerRequest / floor.cpuMsPerRequest : null
    lines.push(
      [
        '',
        c.title + (c.note ? ` (${c.note})` : ''),
        c.server,
        rate(c.rps),
        ratio(health ? c.rps / health.rps : null),
        ratio(floor ? c.rps / floor.rps : null),
        ms(c.p50Ms),
        ms(c.p99Ms),
        c.cpuMsPerRequest === null ? '—' : ms(c.cpuMsPerRequest),
        ratio(cpuRatio),
        String(c.non2xx + c.socketErrors),
        c.rssMiB === null ? '—' : fixed(c.rssMiB, 0),
        fixed(c.loadAtStart, 1),
        '',
      ].join(' | ').trim(),
    )
  }
  return lines.join('\n')
}

export function formatVerdicts(verdicts: Verdict[]): string {
  const lines = ['| target | measured | result |', '|---|---|---|']
  for (const v of verdicts) {
    lines.push(`| ${v.target} | ${v.measured} | ${v.met === null ? 'not measured' : v.met ? 'met' : '**missed**'} |`)
  }
  return lines.join('\n')
}

export function formatPlans(plans: Plan[]): string {
  const out: string[] = []
  for (const plan of plans) {
    out.push(
      `EXPLAIN ${plan.query}: ${plan.usesUserIndex ? 'reads todo through the user_id indexes' : '**reads todo without a user_id index**'}` +
        `${plan.sortsWholeList ? ', **sorts all of the user’s todos**' : ', reads in index order: no sort of the whole list (a filesort beside a derived table sorts one page)'}`,
      '',
      '| table | type | key | rows | Extra |',
      '|---|---|---|---:|---|',
      ...plan.rows.map((row) => `| ${row.table} | ${row.type} | ${row.key ?? ''} | ${row.rows} | ${row.extra} |`),
      '',
    )
  }
  return out.join('\n')
}

export { fixed, ms, rate }
