// One chart of the report: each case's server CPU per request against the floor it is compared
// with (API cases against GET /api/health, pages against the signed-out /login page, the bare
// node:http + mysql2 server against itself), on one log scale of milliseconds. A standalone SVG
// with no external references (fonts, styles, scripts), written beside the report's JSON.
import { fixed, ms, type CaseResult, type Report } from './report'

type Kind = 'bare' | 'api' | 'page' | 'other'

/** The floor each kind of case is compared with, by case id (without a `single:`/`stack:` side). */
const FLOOR: Record<Kind, string> = { bare: 'floor', api: 'health', page: 'page-floor', other: 'floor' }

const HEADING: Record<Kind, string> = {
  bare: 'Bare node:http + mysql2, no framework',
  api: 'API routes',
  page: 'Pages',
  other: 'Other cases',
}

/** By id: page-*, scale-page-*, many-page-*, uncapped-page-*…, and click-* (an action answers with a page's RSC); floor, scale-floor; api-*, toggle, log-in, health*… */
export function kindOf(id: string): Kind {
  if (/(^|-)(page|click)(-|$)/.test(id)) return 'page'
  if (id === 'floor' || id.endsWith('-floor')) return 'bare'
  if (/(^|-)(api|toggle|log-in|health)(-|$)/.test(id)) return 'api'
  return 'other'
}

export type ChartRow = {
  case: CaseResult
  cpu: number
  /** CPU per request over the floor's; null when the floor has no CPU figure. */
  ratio: number | null
  isFloor: boolean
}

export type ChartGroup = {
  /** `single` or `stack` in --stack mode (ids `single:health`…), else ''. */
  side: string
  kind: Kind
  floor: CaseResult | null
  /** The floor's CPU, when measured. */
  floorCpu: number | null
  /** The group's floor over the bare floor's (API and page groups), when both are measured. */
  floorVsBare: number | null
  rows: ChartRow[]
}

const hasCpu = (c: CaseResult | undefined | null): c is CaseResult & { cpuMsPerRequest: number } =>
  !!c && typeof c.cpuMsPerRequest === 'number' && Number.isFinite(c.cpuMsPerRequest) && c.cpuMsPerRequest >= 0

const split = (id: string) => {
  const colon = id.indexOf(':')
  return colon < 0 ? { side: '', base: id } : { side: id.slice(0, colon), base: id.slice(colon + 1) }
}

/** The chart's data: groups in order bare, API, pages, other (per side), each case in report order. */
export function chartGroups(report: Report): { groups: ChartGroup[]; notMeasured: CaseResult[] } {
  const byId = new Map(report.cases.map((c) => [c.id, c]))
  const groups = new Map<string, ChartGroup>()
  const sides: string[] = []
  const notMeasured: CaseResult[] = []
  for (const c of report.cases) {
    if (!hasCpu(c)) {
      notMeasured.push(c)
      continue
    }
    const { side, base } = split(c.id)
    const kind = kindOf(base)
    if (!sides.includes(side)) sides.push(side)
    const key = `${side}:${kind}`
    let group = groups.get(key)
    if (!group) {
      const at = (id: string) => byId.get(side ? `${side}:${id}` : id) ?? null
      const floor = at(FLOOR[kind])
      const floorCpu = hasCpu(floor) && floor.cpuMsPerRequest > 0 ? floor.cpuMsPerRequest : null
      const bare = at('floor')
      const bareCpu = hasCpu(bare) && bare.cpuMsPerRequest > 0 ? bare.cpuMsPerRequest : null
      group = {
        side,
        kind,
        floor,
        floorCpu,
        floorVsBare: kind !== 'bare' && kind !== 'other' && floorCpu !== null && bareCpu !== null ? floorCpu / bareCpu : null,
        rows: [],
      }
      groups.set(key, group)
    }
    group.rows.push({
      case: c,
      cpu: c.cpuMsPerRequest,
      ratio: group.floorCpu === null ? null : c.cpuMsPerRequest / group.floorCpu,
      isFloor: group.floor?.id === c.id,
    })
  }
  const order: Kind[] = ['bare', 'api', 'page', 'other']
  const sorted = sides.flatMap((side) => order.flatMap((kind) => groups.get(`${side}:${kind}`) ?? []))
  // The floor first in its group.
  for (const group of sorted) group.rows.sort((a, b) => Number(b.isFloor) - Number(a.isFloor))
  return { groups: sorted, notMeasured }
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!)
}

/** A ratio as the table writes it, with fewer decimals as it grows. */
export function formatRatio(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—'
  return `${fixed(value, value < 10 ? 2 : value < 100 ? 1 : 0)}×`
}

/** Approximate advance widths (em) of a system sans-serif, to fit labels without measuring them. */
function textWidth(text: string, size: number): number {
  let em = 0
  for (const ch of text) {
    if ('il.,:;|!\'ı·'.includes(ch)) em += 0.27
    else if (' fjtrI()[]/{}-'.includes(ch)) em += 0.34
    else if ('mwMW@'.includes(ch)) em += 0.86
    else if (ch >= 'A' && ch <= 'Z') em += 0.66
    else if (ch >= '0' && ch <= '9') em += 0.56
    else em += 0.54
  }
  return em * size
}

function fit(text: string, size: number, width: number): string {
  if (textWidth(text, size) <= width) return text
  let cut = text
  while (cut.length > 1 && textWidth(`${cut}…`, size) > width) cut = cut.slice(0, -1)
  return `${cut.trimEnd()}…`
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif"
const INK = '#1f2328'
const MUTED = '#59636e'
const BAR = '#0969da'
const FLOOR_BAR = '#818b98'
const GRID = '#d1d9e0'
const STRIPE = '#f6f8fa'

const WIDTH = 960
const PAD = 24
const ROW = 22
const BAR_H = 14
/** Widths of the two figure columns at the right: ms/req, then × its floor. */
const MS_COL = 84
const RATIO_COL = 74

const when = (iso: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso)

/** The report's CPU per request, case by case, against each case's floor: a standalone SVG document. */
export function cpuChart(report: Report): string {
  const { groups, notMeasured } = chartGroups(report)
  const values = groups.flatMap((g) => g.rows.map((r) => r.cpu)).filter((v) => v > 0)

  const title = `Server CPU per request against its floor · bench run of ${when(report.startedAt)}`
  const machine = report.machine
    ? `${report.machine.cpu.trim()} · ${report.machine.cores} ${report.machine.cores === 1 ? 'core' : 'cores'}`
    : 'machine not recorded in this report'
  const mode = report.mode === 'app' ? '' : report.mode === 'base' ? ' · --base' : ' · --stack'
  const subtitle = [
    `${machine}${mode} · ${report.server}`,
    `${report.tool}, ${report.connections} connections, ${report.secondsPerCase} s per case after ${report.warmupSeconds} s of warm-up · ` +
      `load average ${report.loadBefore.split(' ')[0] ?? '?'} before, ${report.loadAfter.split(' ')[0] ?? '?'} after`,
  ]

  // Columns: case titles | bars (log scale) | ms/req | × floor.
  const ratioRight = WIDTH - PAD
  const msRight = ratioRight - RATIO_COL
  const longest = Math.max(0, ...groups.flatMap((g) => g.rows.map((r) => textWidth(r.case.title, 12))))
  const labelW = Math.min(380, Math.max(200, Math.ceil(longest)))
  const plotX0 = PAD + labelW + 14
  const plotX1 = msRight - MS_COL - 24

  // The domain ends on 1, 2 or 5 × a power of ten just beyond the figures; decades labelled.
  const step = (v: number, up: boolean) => {
    const decade = 10 ** Math.floor(Math.log10(v))
    const steps = [0.5, 1, 2, 5, 10, 20].map((m) => m * decade)
    return up ? steps.find((s) => s >= v * 1.02)! : [...steps].reverse().find((s) => s <= v / 1.02)!
  }
  // Below the smallest figure by a step or so, so that its bar still has a length.
  const lo = values.length ? step(Math.min(...values) / 1.6, false) : 0.1
  let hi = values.length ? step(Math.max(...values), true) : 1000
  if (hi <= lo) hi = lo * 10
  const x = (v: number) =>
    v <= 0 ? plotX0 : plotX0 + ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (plotX1 - plotX0)
  const ticks: { v: number; label: boolean }[] = []
  for (let d = 10 ** Math.floor(Math.log10(lo)); d <= hi * 1.0001; d *= 10) {
    for (const m of [1, 2, 5]) {
      const v = d * m
      if (v >= lo / 1.0001 && v <= hi * 1.0001) ticks.push({ v, label: m === 1 || ticks.length === 0 })
    }
  }
  ticks.at(-1)!.label = true
  const tickLabel = (v: number) => `${v >= 1 ? fixed(v, 0) : String(Number(v.toPrecision(1)))} ms`

  const out: string[] = []
  const text = (tx: number, ty: number, body: string, attrs = '') =>
    out.push(`<text x="${r1(tx)}" y="${r1(ty)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(body)}</text>`)

  let y = PAD + 16
  text(PAD, y, fit(title, 18, WIDTH - 2 * PAD), `font-size="18" font-weight="600"`)
  for (const line of subtitle) {
    y += 19
    text(PAD, y, fit(line, 12.5, WIDTH - 2 * PAD), `font-size="12.5" fill="${MUTED}"`)
  }

  // Legend.
  y += 24
  out.push(`<rect x="${PAD}" y="${y - 10}" width="18" height="10" rx="2" fill="${BAR}"/>`)
  text(PAD + 24, y, 'a case', `font-size="12"`)
  out.push(`<rect x="${PAD + 80}" y="${y - 10}" width="18" height="10" rx="2" fill="${FLOOR_BAR}"/>`)
  text(PAD + 104, y, 'its floor, the figure it is divided by', `font-size="12"`)
  out.push(`<line x1="${PAD + 328}" y1="${y - 11}" x2="${PAD + 328}" y2="${y + 1}" stroke="${INK}" stroke-width="1.5" stroke-dasharray="3 2"/>`)
  text(PAD + 336, y, 'the floor’s CPU through its group (1×)', `font-size="12"`)

  const plotTop = y + 26
  y = plotTop
  // Column headings above the plot.
  const axis = (ay: number) => {
    for (const t of ticks) if (t.label) text(x(t.v), ay, tickLabel(t.v), `font-size="11" fill="${MUTED}" text-anchor="middle"`)
  }
  if (groups.length > 0) {
    axis(y)
    text(msRight, y, 'CPU ms/req', `font-size="11" font-weight="600" fill="${MUTED}" text-anchor="end"`)
    text(ratioRight, y, '× its floor', `font-size="11" font-weight="600" fill="${MUTED}" text-anchor="end"`)
  }
  y += 8
  const gridTop = y

  const stripes: string[] = []
  const body: string[] = []
  const floorLines: string[] = []
  let stripe = 0
  if (groups.length === 0) {
    y += 30
    body.push(
      `<text x="${WIDTH / 2}" y="${y}" font-size="13" fill="${MUTED}" text-anchor="middle">No case has a server CPU figure in this report: not measured.</text>`,
    )
    y += 16
  }
  for (const group of groups) {
    y += 22
    const side = group.side ? `${group.side} · ` : ''
    const floorName = group.floor ? group.floor.title : `${FLOOR[group.kind]} (not in this report)`
    const against =
      group.kind === 'bare'
        ? group.floorCpu === null ? 'its floor not measured' : `against ${floorName}`
        : group.floorCpu === null
          ? `against ${floorName}: CPU not measured, no ratios`
          : `against ${floorName}`
    const heading = `${side}${HEADING[group.kind]}`
    body.push(
      `<text x="${PAD}" y="${y}" font-size="13.5"><tspan font-weight="600">${escapeXml(heading)}</tspan>` +
        `<tspan fill="${MUTED}" font-size="12.5">${escapeXml(fit(` — ${against}`, 12.5, WIDTH - 2 * PAD - textWidth(heading, 13.5) - 8))}</tspan></text>`,
    )
    if (group.floorVsBare !== null) {
      y += 16
      body.push(
        `<text x="${PAD}" y="${y}" font-size="12" fill="${MUTED}">${escapeXml(`the floor itself: ${formatRatio(group.floorVsBare)} the bare node:http + mysql2 floor’s CPU`)}</text>`,
      )
    }
    y += 8
    const first = y
    for (const row of group.rows) {
      const top = y
      const mid = top + ROW / 2
      const c = row.case
      const tip = [c.title, `${ms(row.cpu)} ms CPU per request`, row.isFloor ? 'the floor' : row.ratio === null ? null : `${formatRatio(row.ratio)} ${group.floor?.title ?? 'its floor'}`, c.note]
        .filter(Boolean)
        .join(' · ')
      const barEnd = x(row.cpu)
      if (stripe++ % 2 === 0) stripes.push(`<rect x="${PAD - 6}" y="${top}" width="${WIDTH - 2 * PAD + 12}" height="${ROW}" fill="${STRIPE}"/>`)
      body.push(
        `<g><title>${escapeXml(tip)}</title>` +
          `<text x="${PAD}" y="${r1(mid + 4)}" font-size="12"${row.isFloor ? ` fill="${MUTED}"` : ''}>${escapeXml(fit(c.title, 12, labelW))}</text>` +
          `<rect class="${row.isFloor ? 'floor-bar' : 'bar'}" data-id="${escapeXml(c.id)}" x="${plotX0}" y="${r1(mid - BAR_H / 2)}" width="${r1(Math.max(barEnd - plotX0, 0))}" height="${BAR_H}" rx="2" fill="${row.isFloor ? FLOOR_BAR : BAR}"/>` +
          `<text x="${msRight}" y="${r1(mid + 4)}" font-size="12" text-anchor="end" font-variant-numeric="tabular-nums">${escapeXml(ms(row.cpu))}</text>` +
          `<text x="${ratioRight}" y="${r1(mid + 4)}" font-size="12" text-anchor="end" font-variant-numeric="tabular-nums"${row.isFloor ? ` fill="${MUTED}"` : ' font-weight="600"'}>${escapeXml(row.isFloor ? 'floor' : formatRatio(row.ratio))}</text>` +
          '</g>',
      )
      y += ROW
    }
    if (group.floorCpu !== null && group.floor) {
      const fx = r1(x(group.floorCpu))
      floorLines.push(
        `<line class="floor-line" x1="${fx}" y1="${first - 3}" x2="${fx}" y2="${y + 3}" stroke="${INK}" stroke-width="1.5" stroke-dasharray="3 2"/>`,
      )
    }
  }
  const gridBottom = y + 8

  // Grid: labelled ticks solid, 2 and 5 between them dashed.
  const grid: string[] = []
  for (const t of groups.length > 0 ? ticks : []) {
    const gx = r1(x(t.v))
    grid.push(`<line x1="${gx}" y1="${gridTop}" x2="${gx}" y2="${gridBottom}" stroke="${GRID}"${t.label ? '' : ' stroke-dasharray="2 3"'}/>`)
  }

  y = gridBottom + 16
  if (groups.length > 0) {
    axis(y)
    y += 18
    text(
      PAD,
      y,
      'Log scale: bars are server CPU (the process and its children, /proc utime + stime) per completed request; ' +
        'the distance from the dashed line is the ratio.',
      `font-size="11.5" fill="${MUTED}"`,
    )
  }
  if (notMeasured.length > 0) {
    y += 22
    text(PAD, y, 'CPU not measured (no figure in the report):', `font-size="12" font-weight="600" fill="${MUTED}"`)
    for (const c of notMeasured) {
      y += 17
      text(PAD + 12, y, fit(`${c.title}${c.server ? ` [${c.server}]` : ''}`, 12, WIDTH - 2 * PAD - 12), `font-size="12" fill="${MUTED}"`)
    }
  }
  const height = Math.ceil(y + PAD)

  const desc = [
    `${groups.reduce((n, g) => n + g.rows.length, 0)} cases with a server CPU figure, on a log scale of milliseconds per request.`,
    ...groups.map(
      (g) =>
        `${g.side ? `${g.side} · ` : ''}${HEADING[g.kind]}` +
        (g.floorCpu !== null && g.floor ? `, against ${g.floor.title} (${ms(g.floorCpu)} ms)` : ', floor not measured') +
        ': ' +
        g.rows
          .filter((r) => !r.isFloor)
          .map((r) => `${r.case.title} ${ms(r.cpu)} ms${r.ratio === null ? '' : ` (${formatRatio(r.ratio)})`}`)
          .join('; ') +
        '.',
    ),
    notMeasured.length > 0 ? `Not measured: ${notMeasured.map((c) => c.title).join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ')

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="cpu-chart-title cpu-chart-desc" font-family="${FONT}" fill="${INK}">`,
    `<title id="cpu-chart-title">${escapeXml(title)}</title>`,
    `<desc id="cpu-chart-desc">${escapeXml(desc)}</desc>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    // Stripes under the grid, the bars and the floor lines over it.
    ...stripes,
    ...grid,
    ...out,
    ...body,
    ...floorLines,
    '</svg>',
    '',
  ].join('\n')
}

const r1 = (v: number) => Math.round(v * 10) / 10
