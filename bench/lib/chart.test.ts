import { describe, expect, it } from 'vitest'
import { chartGroups, cpuChart, escapeXml, kindOf } from './chart'
import type { CaseResult, Report } from './report'

const result = (id: string, title: string, cpuMsPerRequest: number | null, server = 'app'): CaseResult => ({
  id,
  title,
  server,
  connections: 32,
  requests: 1000,
  seconds: 10,
  rps: 100,
  p50Ms: 10,
  p99Ms: 20,
  non2xx: 0,
  socketErrors: 0,
  cpuMsPerRequest,
  rssMiB: 200,
  loadAtStart: 1,
})

const report = (cases: CaseResult[], extra: Partial<Report> = {}): Report => ({
  startedAt: '2026-12-02T18:39:14.577Z',
  finishedAt: '2026-12-02T18:42:49.148Z',
  mode: 'app',
  server: 'node --max-old-space-size=256 server.mjs',
  tool: 'wrk',
  machine: { cpu: 'AMD EPYC 7B13', cores: 2 },
  secondsPerCase: 10,
  warmupSeconds: 2,
  connections: 32,
  loadBefore: '2.18 1.27 0.54',
  loadAfter: '2.01 1.64 0.84',
  cases,
  verdicts: [],
  queriesPerRequest: {},
  cacheHitRate: 1,
  notes: [],
  ...extra,
})

// The ids of a full run (bench/run.ts), with round figures.
const full = [
  result('health', 'GET /api/health', 1.5),
  result('api-cached', 'GET /api/todos, 20 todos, cache warm', 1.8),
  result('api-nocache', 'GET /api/todos, 20 todos, cache off', 3.9),
  result('scale-api-nocache', '1M rows · GET /api/todos, 20 todos, cache off', 4.5),
  result('floor', 'bare node:http + mysql2, the same join', 0.2),
  result('scale-floor', '1M rows · bare node:http + mysql2, the same join', 0.25),
  result('page-floor', 'GET /login page, signed out (the floor of a Next page)', 18),
  result('page-cached', 'GET /todos page, 20 todos, cache warm', 27),
  result('many-page-nocache', '1M rows · GET /todos page 1, 5,000 todos, cache off', 45),
  result('many-api-cached', '1M rows · GET /api/todos, 5,000 todos, cache warm', 13),
  result('toggle', '1M rows · PATCH /api/todos/{id} + GET /api/todos', 3.5),
  result('health-probe', 'GET /api/health, 1 connection, alone', 1.2),
  result('log-in', 'POST /api/users/log-in, 16 connections', 75),
  result('health-during-log-ins', 'GET /api/health, 1 connection, during the log-ins', null),
  result('uncapped-page-cached', 'no heap limit · GET /todos page, 20 todos, cache warm', 27),
  result('uncapped-log-in', 'no heap limit · POST /api/users/log-in, 16 connections', 60),
]

const bars = (svg: string) => [...svg.matchAll(/<rect class="(?:bar|floor-bar)" data-id="([^"]*)"/g)].map((m) => m[1])

describe('CPU chart', () => {
  it('sorts ids into the floor they are compared with', () => {
    expect(['floor', 'scale-floor'].map(kindOf)).toEqual(['bare', 'bare'])
    expect(['page-floor', 'page-nocache', 'scale-page-cached', 'many-page-nocache', 'uncapped-many-page-cached'].map(kindOf)).toEqual(
      Array(5).fill('page'),
    )
    expect(['health', 'api-cached', 'many-api-cached', 'toggle', 'log-in', 'health-probe', 'uncapped-toggle', 'uncapped-log-in'].map(kindOf)).toEqual(
      Array(8).fill('api'),
    )
    expect(['click-toggle', 'click-add', 'page-clicker'].map(kindOf)).toEqual(['page', 'page', 'page'])
    expect(kindOf('something-new')).toBe('other')
  })

  it('draws one bar per case with a CPU figure, each in its floor’s group, the floor first', () => {
    const svg = cpuChart(report(full))
    const measured = full.filter((c) => c.cpuMsPerRequest !== null).map((c) => c.id)
    expect(bars(svg).sort()).toEqual([...measured].sort())
    expect(svg.match(/class="floor-bar"/g)).toHaveLength(3)
    expect(svg.match(/class="floor-line"/g)).toHaveLength(3)
    const { groups } = chartGroups(report(full))
    expect(groups.map((g) => [g.kind, g.rows[0]!.case.id])).toEqual([
      ['bare', 'floor'],
      ['api', 'health'],
      ['page', 'page-floor'],
    ])
    expect(groups[1]!.rows.map((r) => r.case.id)).toEqual([
      'health',
      'api-cached',
      'api-nocache',
      'scale-api-nocache',
      'many-api-cached',
      'toggle',
      'health-probe',
      'log-in',
      'uncapped-log-in',
    ])
  })

  it('divides each case by its own floor’s CPU', () => {
    const { groups } = chartGroups(report(full))
    const ratio = (id: string) => groups.flatMap((g) => g.rows).find((r) => r.case.id === id)!.ratio
    expect(ratio('api-cached')).toBeCloseTo(1.8 / 1.5)
    expect(ratio('log-in')).toBeCloseTo(50)
    expect(ratio('page-cached')).toBeCloseTo(1.5)
    expect(ratio('many-page-nocache')).toBeCloseTo(2.5)
    expect(ratio('scale-floor')).toBeCloseTo(1.25)
    expect(ratio('health')).toBe(1)
    expect(groups.find((g) => g.kind === 'api')!.floorVsBare).toBeCloseTo(7.5)
    const svg = cpuChart(report(full))
    expect(svg).toContain('>1.20×</text>')
    expect(svg).toContain('>50.0×</text>')
    expect(svg).toContain('>2.50×</text>')
  })

  it('is a standalone SVG with a title and a description', () => {
    const svg = cpuChart(report(full))
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg).toMatch(/role="img" aria-labelledby="cpu-chart-title cpu-chart-desc"/)
    expect(svg).toContain('<title id="cpu-chart-title">Server CPU per request against its floor · bench run of 2026-12-02 18:39 UTC</title>')
    expect(svg).toContain('AMD EPYC 7B13 · 2 cores')
    expect(svg).toMatch(/<desc id="cpu-chart-desc">[^<]*POST \/api\/users\/log-in, 16 connections 75\.0 ms \(50\.0×\)/)
    expect(svg).not.toMatch(/href=|<script|<style|@import|url\(/)
    expect(svg).toContain('<rect width="960"')
  })

  it('escapes &, <, > and quotes in titles, ids and the server', () => {
    expect(escapeXml(`a & <b> "c" 'd'`)).toBe('a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;')
    const svg = cpuChart(
      report([result('health', 'GET /api/health', 1), result('api-<x>', 'GET /api/todos?a=1&b=<2>', 2)], {
        server: 'http://h & <s>',
        machine: { cpu: 'Fast & <Loud> CPU', cores: 1 },
      }),
    )
    expect(svg).toContain('GET /api/todos?a=1&amp;b=&lt;2&gt;')
    expect(svg).toContain('data-id="api-&lt;x&gt;"')
    expect(svg).toContain('Fast &amp; &lt;Loud&gt; CPU · 1 core')
    expect(svg).toContain('http://h &amp; &lt;s&gt;')
    // No raw ampersand that is not an entity, no stray angle bracket inside text.
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/)
    expect(svg).not.toMatch(/>[^<]*>[^<]*</)
  })

  it('leaves out cases without CPU and says so; without their floor no ratio (--skip-scale, --base, --stack)', () => {
    // --base: the server under test is not ours to read; only the bare floor has CPU.
    const base = report(
      [
        result('health', 'GET /api/health', null, 'base'),
        result('api-cached', 'GET /api/todos, 20 todos, as the server caches', null, 'base'),
        result('floor', 'bare node:http + mysql2, the same join', 0.3, 'floor'),
      ],
      { mode: 'base', machine: undefined },
    )
    const svg = cpuChart(base)
    expect(bars(svg)).toEqual(['floor'])
    expect(svg).toContain('CPU not measured')
    expect(svg).toContain('GET /api/todos, 20 todos, as the server caches [base]')
    expect(svg).toContain('machine not recorded in this report')

    // A page case whose floor was not measured: the bar, no ratio, no floor line.
    const noFloor = cpuChart(report([result('page-cached', 'GET /todos page', 27), result('page-floor', 'GET /login', null)]))
    expect(bars(noFloor)).toEqual(['page-cached'])
    expect(noFloor).toContain('>—</text>')
    expect(noFloor).not.toContain('class="floor-line"')
    expect(noFloor).not.toMatch(/NaN|Infinity|undefined/)

    // --stack: each side against its own health case.
    const stack = chartGroups(
      report(
        [
          result('single:health', 'GET /api/health', 2),
          result('stack:health', 'GET /api/health', 5),
          result('single:api-cached', 'GET /api/todos', 3),
          result('stack:api-cached', 'GET /api/todos', 10),
        ],
        { mode: 'stack' },
      ),
    )
    expect(stack.groups.map((g) => [g.side, g.kind, g.rows.map((r) => r.ratio)])).toEqual([
      ['single', 'api', [1, 1.5]],
      ['stack', 'api', [1, 2]],
    ])

    // Nothing measured at all.
    const empty = cpuChart(report([result('health', 'GET /api/health', null)]))
    expect(bars(empty)).toEqual([])
    expect(empty).toContain('No case has a server CPU figure in this report: not measured.')
    expect(empty).not.toMatch(/NaN|Infinity|undefined/)
    expect(cpuChart(report([]))).toContain('</svg>')
  })
})
