// npm run bench [-- options]: the app's performance against floors measured in the same run.
// See bench/README.md. Needs a production build (`npm run build`); builds nothing itself.
//
//   --base URL --prefix /api   measure the API cases against a server that is already running
//   --duration S --warmup S    seconds per case (10) and of warm-up before each (2)
//   --connections N            concurrent connections (32)
//   --tool wrk|autocannon      load generator (wrk when installed)
//   --skip-scale               leave out the 1,000,000-row phase
//   --keep-db                  keep the todo_bench database afterwards (dropped by default)
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import mysql from 'mysql2/promise'
import { chromiumPath, sessionCookies } from './lib/browser-session'
import {
  BENCH_PASSWORD,
  countTodos,
  createFreshDatabase,
  dropDatabase,
  explainLists,
  passwordHash,
  seedScale,
  seedSmall,
  statementCount,
  type BenchUsers,
  type SeededUser,
} from './lib/database'
import { defaultTool, runLoad, type LoadResult, type LoadSpec, type LoadTool } from './lib/load'
import {
  freePort,
  killAllNow,
  loadAverage,
  startService,
  stopAll,
  stopService,
  usageOf,
  waitForHttp,
  type Env,
  type Service,
} from './lib/proc'
import { startRefusingRedis } from './lib/refusing-redis'
import { fixed, formatPlans, formatTable, formatVerdicts, ms, rate, type CaseResult, type Report, type Verdict } from './lib/report'

const root = fileURLToPath(new URL('..', import.meta.url))
const resultsDir = join(root, 'bench', 'results')
const require = createRequire(import.meta.url)

const { values: options } = parseArgs({
  options: {
    base: { type: 'string' },
    prefix: { type: 'string', default: '/api' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    tool: { type: 'string' },
    'skip-scale': { type: 'boolean', default: false },
    'keep-db': { type: 'boolean', default: false },
  },
})

const SECONDS = positive('duration')
const WARMUP = Number(options.warmup)
const CONNECTIONS = positive('connections')
const LOG_INS = 16
const TOOL: LoadTool = options.tool === 'wrk' || options.tool === 'autocannon' ? options.tool : defaultTool()
/** Everything, seeding included, must be over by then: a stuck step must not hold the machine. */
const DEADLINE_MS = 20 * 60_000

function positive(name: 'duration' | 'connections'): number {
  const value = Number(options[name])
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number`)
  return value
}

function fail(message: string): never {
  console.error(`bench: ${message}`)
  process.exit(1)
}

const log = (message: string) => console.error(`bench: ${message}`)

/** A server under test: where it listens, its API prefix, and its process when we started it. */
type Target = { label: string; origin: string; prefix: string; service: Service | null }

const url = (target: Target, path: string) => `${target.origin}${path}`
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

type CaseDef = {
  id: string
  title: string
  target: Target
  load: Omit<LoadSpec, 'seconds' | 'connections'> & { connections?: number }
  /** Checks one response before the load; returns a problem, or null when it is the expected answer. */
  check?: (status: number, body: string) => string | null
  note?: string
}

const cases: CaseResult[] = []

/** One request like the load's first, so that a wrong token or cookie fails loudly instead of benchmarking a 401. */
async function probe(def: CaseDef): Promise<void> {
  const { load } = def
  const first = load.toggle
    ? { url: `${load.url}${load.toggle.base}/todos/${load.toggle.ids[0]}`, method: 'PATCH', body: '{"is_done":false}' }
    : { url: load.url, method: load.method ?? 'GET', body: load.body }
  const headers: Record<string, string> = { ...load.headers }
  if (first.body) headers['Content-Type'] = 'application/json'
  const response = await fetch(first.url, { method: first.method, headers, body: first.body, redirect: 'manual' })
  const body = await response.text()
  const problem = response.status < 200 || response.status > 299 ? `answered ${response.status}` : def.check?.(response.status, body)
  if (problem) throw new Error(`${def.title}: ${first.method} ${first.url} ${problem}: ${body.slice(0, 200)}`)
}

function spec(def: CaseDef, seconds: number): LoadSpec {
  return { ...def.load, connections: def.load.connections ?? CONNECTIONS, seconds }
}

/** Warm-up, then the measured load, with the server's CPU and RSS read around it. */
async function measure(def: CaseDef, beside?: CaseDef): Promise<CaseResult[]> {
  await probe(def)
  if (beside) await probe(beside)
  if (WARMUP > 0) await runLoad(TOOL, spec(def, WARMUP))
  const loadAtStart = Number(loadAverage().split(' ')[0])
  const pid = def.target.service?.pid
  const before = pid === undefined ? null : usageOf(pid)
  const [result, besideResult] = await Promise.all([
    runLoad(TOOL, spec(def, SECONDS)),
    beside ? runLoad(TOOL, spec(beside, SECONDS)) : Promise.resolve(null),
  ])
  const after = pid === undefined ? null : usageOf(pid)
  const record = (d: CaseDef, r: LoadResult, own: boolean): CaseResult => ({
    id: d.id,
    title: d.title,
    server: d.target.label,
    connections: d.load.connections ?? CONNECTIONS,
    requests: r.requests,
    seconds: r.seconds,
    rps: r.rps,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    non2xx: r.non2xx,
    socketErrors: r.socketErrors,
    cpuMsPerRequest: own && before && after && r.requests > 0 ? (after.cpuMs - before.cpuMs) / r.requests : null,
    rssMiB: after ? after.rssMiB : null,
    loadAtStart,
    note: d.note,
  })
  const measured = [record(def, result, true)]
  if (beside && besideResult) measured.push(record(beside, besideResult, false))
  for (const m of measured) {
    cases.push(m)
    log(
      `${m.title} [${m.server}]: ${rate(m.rps)} req/s, p50 ${ms(m.p50Ms)} ms, p99 ${ms(m.p99Ms)} ms` +
        (m.cpuMsPerRequest === null ? '' : `, ${ms(m.cpuMsPerRequest)} ms CPU/req`) +
        (m.rssMiB === null ? '' : `, RSS ${fixed(m.rssMiB, 0)} MiB`) +
        `, ${m.non2xx} non-2xx, ${m.socketErrors} socket errors`,
    )
  }
  return measured
}

type CacheCounters = { hits: number; misses: number; errors: number }

async function cacheCounters(target: Target): Promise<CacheCounters | null> {
  try {
    const response = await fetch(url(target, `${target.prefix}/metrics`))
    if (!response.ok) return null
    const body = (await response.json()) as { cache?: CacheCounters }
    return body.cache ?? null
  } catch {
    return null
  }
}

/**
 * Database statements (SELECT, INSERT, UPDATE, DELETE) per request, from MariaDB's global counters
 * around `n` sequential requests. Other clients of the same server can only add to the count, so
 * the smallest of three windows is the estimate (the bench itself sends nothing in between).
 */
async function queriesPerRequest(conn: mysql.Connection, requestUrl: string, headers: Record<string, string>, n = 50) {
  let best = Infinity
  for (let window = 0; window < 3; window++) {
    const before = await statementCount(conn)
    for (let i = 0; i < n; i++) {
      const response = await fetch(requestUrl, { headers, redirect: 'manual' })
      await response.arrayBuffer()
      if (!response.ok) throw new Error(`${requestUrl} answered ${response.status} while counting queries`)
    }
    best = Math.min(best, ((await statementCount(conn)) - before) / n)
  }
  return best
}

async function logInToken(target: Target, username: string): Promise<string> {
  const response = await fetch(url(target, `${target.prefix}/users/log-in`), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  })
  if (!response.ok) throw new Error(`log-in as ${username} answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { access_token: string }).access_token
}

function childEnv(extra: Record<string, string>): Env {
  // `next start` sets NODE_ENV itself; NODE_OPTIONS is what the README says (nothing) unless a pass sets it.
  const { NODE_ENV: _nodeEnv, NODE_OPTIONS: _nodeOptions, ...inherited } = process.env
  return { ...inherited, NEXT_TELEMETRY_DISABLED: '1', ...extra }
}

async function startApp(label: string, port: number, logFile: string, env: Record<string, string>): Promise<Target> {
  const nextBin = require.resolve('next/dist/bin/next')
  const service = startService(label, process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: childEnv(env),
    logFile,
  })
  const target = { label, origin: `http://127.0.0.1:${port}`, prefix: '/api', service }
  await waitForHttp(url(target, '/api/health'), service)
  return target
}

async function startFloor(port: number, databaseUrl: string, userId: number, logFile: string): Promise<Target> {
  const service = startService('floor', process.execPath, ['--import', 'tsx', join(root, 'bench', 'floor-server.ts')], {
    cwd: root,
    env: childEnv({ DATABASE_URL: databaseUrl, PORT: String(port), FLOOR_USER_ID: String(userId) }),
    logFile,
  })
  const target = { label: 'floor', origin: `http://127.0.0.1:${port}`, prefix: '/api', service }
  await waitForHttp(url(target, '/api/health'), service)
  return target
}

const apiList = (id: string, title: string, target: Target, token: string, note?: string): CaseDef => ({
  id,
  title,
  target,
  load: { url: url(target, `${target.prefix}/todos`), headers: bearer(token) },
  check: (_status, body) => (body.startsWith('{"todos":[') ? null : 'is not a todo list'),
  note,
})

const page = (id: string, title: string, target: Target, cookie: string, username: string): CaseDef => ({
  id,
  title,
  target,
  load: { url: url(target, '/todos'), headers: { Cookie: cookie } },
  check: (_status, body) => (body.includes(username) ? null : `does not show ${username}'s list`),
})

const health = (id: string, title: string, target: Target, connections = CONNECTIONS): CaseDef => ({
  id,
  title,
  target,
  load: { url: url(target, `${target.prefix}/health`), connections },
})

const toggle = (id: string, title: string, target: Target, token: string, user: SeededUser): CaseDef => ({
  id,
  title,
  target,
  load: { url: target.origin, headers: bearer(token), toggle: { base: target.prefix, ids: user.todoIds } },
  note: 'PATCH and GET counted separately',
})

const logIns = (id: string, title: string, target: Target, username: string): CaseDef => ({
  id,
  title,
  target,
  load: {
    url: url(target, `${target.prefix}/users/log-in`),
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
    connections: LOG_INS,
  },
  note: target.service ? 'its CPU includes the health probe beside it' : undefined,
})

/** The log-ins with a one-connection health probe beside them: how long others wait meanwhile. */
async function logInStorm(target: Target, username: string) {
  await measure(health('health-probe', 'GET /api/health, 1 connection, alone', target, 1))
  await measure(
    logIns('log-in', `POST /api/users/log-in, ${LOG_INS} connections`, target, username),
    health('health-during-log-ins', 'GET /api/health, 1 connection, during the log-ins', target, 1),
  )
}

const find = (id: string) => cases.find((c) => c.id === id)

function verdict(target: string, measured: string | null, met: boolean | null): Verdict {
  return { target, measured: measured ?? 'not measured', met: measured === null ? null : met }
}

type Counts = Record<string, number>

function judge(counts: Counts, hitRate: number | null, lowMemoryRss: number | null): Verdict[] {
  const healthCase = find('health')
  const cached = find('api-cached')
  const pageCached = find('page-cached')
  const during = find('health-during-log-ins')
  const small = find('api-nocache')
  const big = find('scale-api-nocache')
  const scaleHealth = find('scale-health')
  const floorSmall = find('floor')
  const floorBig = find('scale-floor')
  // Each phase's list against that phase's own health floor: the machine's load changes between phases.
  const scaleRatio =
    small && big && healthCase && scaleHealth ? small.rps / healthCase.rps / (big.rps / scaleHealth.rps) : null
  const pageBig = find('scale-page-nocache')
  const pageMany = find('many-page-nocache')
  const lastApp = [...cases].reverse().find((c) => c.server === 'app' && c.rssMiB !== null)
  const share = cached && healthCase ? cached.rps / healthCase.rps : null
  const v: Verdict[] = [
    verdict(
      'GET /api/todos (cache warm) ≥ 60% of GET /api/health req/s',
      share === null ? null : `${fixed(share * 100, 0)}% (${rate(cached!.rps)} vs ${rate(healthCase!.rps)} req/s)`,
      share !== null && share >= 0.6,
    ),
    verdict(
      'GET /api/todos (cache warm) ≤ 1.5 ms server CPU/request',
      cached?.cpuMsPerRequest == null ? null : `${ms(cached.cpuMsPerRequest)} ms`,
      (cached?.cpuMsPerRequest ?? Infinity) <= 1.5,
    ),
    verdict(
      'GET /todos page (cache warm) ≤ 4 ms server CPU/request',
      pageCached?.cpuMsPerRequest == null ? null : `${ms(pageCached.cpuMsPerRequest)} ms`,
      (pageCached?.cpuMsPerRequest ?? Infinity) <= 4,
    ),
    verdict(
      `GET /api/health p99 < 50 ms while ${LOG_INS} log-ins run`,
      during ? `${ms(during.p99Ms)} ms (alone: ${ms(find('health-probe')?.p99Ms ?? NaN)} ms)` : null,
      (during?.p99Ms ?? Infinity) < 50,
    ),
    verdict(
      'GET /api/todos (cache off) on 1,000,000 rows within 1.25× of ~1,000 rows (req/s, each against its phase\'s health)',
      small && big && scaleRatio !== null
        ? `${fixed(scaleRatio, 2)}× (raw ${rate(small.rps)} → ${rate(big.rps)} req/s, ${fixed(small.rps / big.rps, 2)}×` +
            (floorSmall && floorBig ? `; bare floor ${fixed(floorSmall.rps / floorBig.rps, 2)}×)` : ')')
        : null,
      scaleRatio !== null && scaleRatio <= 1.25,
    ),
    verdict(
      "5,000-todo user's first page (cache off) within 2× of a 20-todo user's",
      pageBig && pageMany
        ? `${fixed(pageBig.rps / pageMany.rps, 2)}× (${rate(pageBig.rps)} → ${rate(pageMany.rps)} req/s)`
        : null,
      !!pageBig && !!pageMany && pageBig.rps / pageMany.rps <= 2,
    ),
    verdict(
      'cache hit rate ≥ 95% in case 1 (from /api/metrics)',
      hitRate === null ? null : `${fixed(hitRate * 100, 2)}%`,
      hitRate !== null && hitRate >= 0.95,
    ),
    verdict(
      'zero database queries for a cached list (GET /api/todos, cache warm)',
      counts['api-cached'] === undefined ? null : `${fixed(counts['api-cached'], 2)} per request`,
      counts['api-cached'] !== undefined && Math.round(counts['api-cached']) === 0,
    ),
  ]
  // The list's own queries: a cache-off request minus what a cached one costs (the caller lookup).
  const auth = counts['api-cached']
  const listQueries = (id: string) =>
    counts[id] === undefined || auth === undefined ? undefined : Math.round(counts[id] - auth)
  const twenty = listQueries('api-nocache')
  const many = listQueries('many-api-nocache')
  v.push(
    verdict(
      'one database query per uncached list, however many todos',
      twenty === undefined
        ? null
        : `20 todos: ${fixed(counts['api-nocache']!, 2)}/request (list ${twenty})` +
            (many === undefined ? '' : `; 5,000 todos: ${fixed(counts['many-api-nocache']!, 2)}/request (list ${many})`),
      twenty === 1 && (many === undefined || many === 1),
    ),
    verdict(
      'RSS ≤ 350 MiB after all cases (no NODE_OPTIONS, as the README runs it)',
      lastApp?.rssMiB == null ? null : `${fixed(lastApp.rssMiB, 0)} MiB`,
      (lastApp?.rssMiB ?? Infinity) <= 350,
    ),
    verdict(
      'RSS ≤ 350 MiB after all cases, NODE_OPTIONS=--max-old-space-size=192',
      lowMemoryRss === null ? null : `${fixed(lowMemoryRss, 0)} MiB`,
      lowMemoryRss !== null && lowMemoryRss <= 350,
    ),
  )
  return v
}

async function runApp(runId: string): Promise<Omit<Report, 'startedAt' | 'finishedAt' | 'loadBefore' | 'loadAfter'>> {
  if (!existsSync(join(root, '.next', 'BUILD_ID'))) fail('no production build (.next/BUILD_ID is missing): run `npm run build` first')
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/todo_bench'
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const redisPrefix = `todos-bench-${runId}`
  const logs = join(resultsDir, 'logs')
  mkdirSync(logs, { recursive: true })
  const notes: string[] = []
  const counts: Counts = {}

  log(`database ${databaseUrl}: recreating and seeding about 1,000 todos`)
  await createFreshDatabase(databaseUrl)
  const phc = await passwordHash()
  const users: BenchUsers = await seedSmall(databaseUrl, phc, 'bench')
  log(`${await countTodos(databaseUrl)} todos`)

  const [appPort, noCachePort, floorPort, lowMemoryPort, smtpPort] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  )
  const refusingRedis = await startRefusingRedis()
  const appEnv = {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(33).toString('base64'),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    // Required in production; no case sends mail, so nothing needs to listen there.
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  }
  log('starting the app (cache on), a second instance (cache off) and the floor server')
  const [app, noCache, floor] = await Promise.all([
    startApp('app', appPort!, join(logs, `${runId}-app.log`), appEnv),
    // The cache truly off: a Redis stand-in that refuses every command, so each cache read fails
    // at once and the list comes from MariaDB (see refusing-redis.ts for why not a closed port);
    // no email worker, which would have no Redis to work with.
    startApp('app-nocache', noCachePort!, join(logs, `${runId}-app-nocache.log`), {
      ...appEnv,
      REDIS_URL: `redis://127.0.0.1:${refusingRedis.port}`,
      RUN_WORKER: 'false',
    }),
    startFloor(floorPort!, databaseUrl, users.reader.id, join(logs, `${runId}-floor.log`)),
  ])

  const token = await logInToken(app, users.reader.username)
  const togglerToken = await logInToken(app, users.toggler.username)
  const manyToken = await logInToken(app, users.many.username)
  const browser = chromiumPath()
  let cookie: string | null = null
  let manyCookie: string | null = null
  if (browser) {
    log('logging in through the log-in page in headless Chromium for the session cookies')
    // `many` lands on a page that reads no list, so that its cache stays cold until its todos exist.
    const found = await sessionCookies(`http://localhost:${appPort}`, browser, [
      { username: users.reader.username, password: BENCH_PASSWORD, returnTo: '/todos' },
      { username: users.many.username, password: BENCH_PASSWORD, returnTo: '/account' },
    ])
    cookie = found[0] ?? null
    manyCookie = found[1] ?? null
  } else {
    notes.push('No Chromium (/usr/bin/chromium or CHROMIUM_PATH): the page cases were skipped.')
  }

  const db = await mysql.createConnection(databaseUrl)
  try {
    // Floors first: the cost of Next itself, and of the stack without a framework.
    await measure(health('health', 'GET /api/health', app))
    await measure(apiList('floor', 'bare node:http + mysql2, the same join', floor, token))

    // 1. The API list, cache warm (the warm-up fills it) and cache off.
    const listUrl = url(app, '/api/todos')
    await fetch(listUrl, { headers: bearer(token) }).then((r) => r.arrayBuffer())
    const before = await cacheCounters(app)
    await measure(apiList('api-cached', 'GET /api/todos, 20 todos, cache warm', app, token))
    const after = await cacheCounters(app)
    const lookups = before && after ? after.hits + after.misses - before.hits - before.misses : 0
    const hitRate = before && after && lookups > 0 ? (after.hits - before.hits) / lookups : null
    counts['api-cached'] = await queriesPerRequest(db, listUrl, bearer(token))
    await measure(apiList('api-nocache', 'GET /api/todos, 20 todos, cache off', noCache, token))
    counts['api-nocache'] = await queriesPerRequest(db, url(noCache, '/api/todos'), bearer(token))
    const noCacheStats = await cacheCounters(noCache)
    if (noCacheStats && noCacheStats.hits > 0) notes.push(`The cache-off instance counted ${noCacheStats.hits} cache hits.`)

    // 2. The server-rendered page.
    if (cookie) {
      await measure(page('page-cached', 'GET /todos page, 20 todos, cache warm', app, cookie, users.reader.username))
      counts['page-cached'] = await queriesPerRequest(db, url(app, '/todos'), { Cookie: cookie })
      await measure(page('page-nocache', 'GET /todos page, 20 todos, cache off', noCache, cookie, users.reader.username))
      counts['page-nocache'] = await queriesPerRequest(db, url(noCache, '/todos'), { Cookie: cookie })
    }

    // 3. Writes: toggle a rotating set of todos, each followed by a read of the list.
    await measure(toggle('toggle', 'PATCH /api/todos/{id} + GET /api/todos', app, togglerToken, users.toggler))

    // 4. argon2id log-ins, and how long a cheap request waits meanwhile.
    await logInStorm(app, users.reader.username)

    // 5. Scale: the same reads on 1,000,000 rows, and a user with 5,000 todos.
    let scale: Report['scale']
    if (!options['skip-scale']) {
      log('seeding 10,000 users × 100 todos and one user with 5,000 (bulk INSERT … SELECT)')
      const seeded = await seedScale(databaseUrl, phc, 'bench', users.many)
      log(`${seeded.todos.toLocaleString('en-US')} todos in ${fixed(seeded.seconds, 1)} s`)
      const plans = [...(await explainLists(databaseUrl, users.reader.id)), ...(await explainLists(databaseUrl, users.many.id))]
      plans[2]!.query += ', 5,000 todos'
      plans[3]!.query += ', 5,000 todos'
      scale = { ...seeded, plans }
      const big = '1M rows · '
      // The floors again, so that this phase's figures compare with the first phase's even if the
      // machine got busier or quieter in between.
      await measure(health('scale-health', `${big}GET /api/health`, app))
      await measure(apiList('scale-floor', `${big}bare node:http + mysql2, the same join`, floor, token))
      await measure(apiList('scale-api-nocache', `${big}GET /api/todos, 20 todos, cache off`, noCache, token))
      await measure(apiList('scale-api-cached', `${big}GET /api/todos, 20 todos, cache warm`, app, token))
      await measure(apiList('many-api-nocache', `${big}GET /api/todos, 5,000 todos, cache off`, noCache, manyToken))
      counts['many-api-nocache'] = await queriesPerRequest(db, url(noCache, '/api/todos'), bearer(manyToken), 20)
      await measure(apiList('many-api-cached', `${big}GET /api/todos, 5,000 todos, cache warm`, app, manyToken))
      if (cookie && manyCookie) {
        await measure(page('scale-page-nocache', `${big}GET /todos page, 20 todos, cache off`, noCache, cookie, users.reader.username))
        await measure(page('scale-page-cached', `${big}GET /todos page, 20 todos, cache warm`, app, cookie, users.reader.username))
        await measure(page('many-page-nocache', `${big}GET /todos page 1, 5,000 todos, cache off`, noCache, manyCookie, users.many.username))
        counts['many-page-nocache'] = await queriesPerRequest(db, url(noCache, '/todos'), { Cookie: manyCookie })
        await measure(page('many-page-cached', `${big}GET /todos page 1, 5,000 todos, cache warm`, app, manyCookie, users.many.username))
      }
    }

    // RSS: the same app cases again in a fresh instance whose heap is capped.
    await stopService(noCache.service!)
    await stopService(floor.service!)
    await stopService(app.service!)
    const lowMemory = await startApp('app-192', lowMemoryPort!, join(logs, `${runId}-app-192.log`), {
      ...appEnv,
      NODE_OPTIONS: '--max-old-space-size=192',
    })
    const capped = 'max-old-space-size=192 · '
    await measure(apiList('low-api-cached', `${capped}GET /api/todos, 20 todos, cache warm`, lowMemory, token))
    if (cookie) await measure(page('low-page-cached', `${capped}GET /todos page, 20 todos, cache warm`, lowMemory, cookie, users.reader.username))
    await measure(toggle('low-toggle', `${capped}PATCH + GET /api/todos`, lowMemory, togglerToken, users.toggler))
    await measure(logIns('low-log-in', `${capped}POST /api/users/log-in, ${LOG_INS} connections`, lowMemory, users.reader.username))
    if (!options['skip-scale']) {
      await measure(apiList('low-many-api-cached', `${capped}GET /api/todos, 5,000 todos, cache warm`, lowMemory, manyToken))
      if (manyCookie) await measure(page('low-many-page-cached', `${capped}GET /todos page 1, 5,000 todos`, lowMemory, manyCookie, users.many.username))
    }
    const lowMemoryRss = usageOf(lowMemory.service!.pid).rssMiB
    await stopService(lowMemory.service!)

    notes.push(
      'Cache off = a second app instance whose Redis refuses every command (bench/lib/refusing-redis.ts): each cache read fails in one round trip and the list comes from MariaDB.',
      'Queries per request: MariaDB global Com_select+insert+update+delete around 50 sequential requests, smallest of 3 windows.',
    )
    return {
      mode: 'app',
      tool: TOOL,
      secondsPerCase: SECONDS,
      warmupSeconds: WARMUP,
      connections: CONNECTIONS,
      cases,
      verdicts: judge(counts, hitRate, lowMemoryRss),
      queriesPerRequest: counts,
      cacheHitRate: hitRate,
      scale,
      notes,
    }
  } finally {
    await db.end()
    await stopAll()
    await refusingRedis.close()
    await clearRedis(redisUrl, redisPrefix)
    if (options['keep-db']) log(`kept ${databaseUrl}`)
    else await dropDatabase(databaseUrl)
  }
}

/** Deletes this run's Redis keys (cache entries, queues): the prefix is ours alone. */
async function clearRedis(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } catch (error) {
    log(`could not clear Redis keys ${prefix}:*: ${(error as Error).message}`)
  } finally {
    redis.disconnect()
  }
}

/** --base: the API cases against a server that speaks the same contract; it is not ours to start or read. */
async function runBase(base: string): Promise<Omit<Report, 'startedAt' | 'finishedAt' | 'loadBefore' | 'loadAfter'>> {
  const origin = base.replace(/\/+$/, '')
  const prefix = `/${(options.prefix ?? '/api').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '')
  const target: Target = { label: 'base', origin, prefix, service: null }
  const notes = [`Measured ${origin}${prefix}: server CPU, RSS, the page, cache-off and scale cases need a server this bench starts.`]
  const suffix = randomBytes(4).toString('hex')
  const accounts: SeededUser[] = []
  for (const role of ['reader', 'toggler']) {
    const username = `bench_${role}_${suffix}`
    const response = await fetch(url(target, `${prefix}/users/sign-up`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: BENCH_PASSWORD }),
    })
    if (response.status !== 201) fail(`sign-up at ${origin}${prefix} answered ${response.status}: ${await response.text()}`)
    const created = (await response.json()) as { id: number }
    const account: SeededUser = { id: created.id, username, todoIds: [] }
    const token = await logInToken(target, username)
    for (let i = 1; i <= 20; i++) {
      const todo = await fetch(url(target, `${prefix}/todos`), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ contents: `${role} todo ${i}`, is_done: i % 3 === 0 }),
      })
      if (todo.status !== 201) fail(`creating a todo answered ${todo.status}: ${await todo.text()}`)
      account.todoIds.push(((await todo.json()) as { id: number }).id)
    }
    accounts.push(account)
  }
  const [reader, toggler] = accounts as [SeededUser, SeededUser]
  const token = await logInToken(target, reader.username)
  const togglerToken = await logInToken(target, toggler.username)

  // The bare floor runs here against this machine's MariaDB, when there is one.
  let floor: Target | null = null
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/todo_bench'
  try {
    await createFreshDatabase(databaseUrl)
    const seeded = await seedSmall(databaseUrl, await passwordHash(), 'bench')
    mkdirSync(join(resultsDir, 'logs'), { recursive: true })
    floor = await startFloor(await freePort(), databaseUrl, seeded.reader.id, join(resultsDir, 'logs', 'floor.log'))
  } catch (error) {
    notes.push(`No bare floor: ${(error as Error).message}`)
  }
  try {
    await measure(health('health', `GET ${prefix}/health`, target))
    if (floor) await measure(apiList('floor', 'bare node:http + mysql2, the same join (local MariaDB)', floor, token))
    const before = await cacheCounters(target)
    await measure(apiList('api-cached', `GET ${prefix}/todos, 20 todos, as the server caches`, target, token))
    const after = await cacheCounters(target)
    const lookups = before && after ? after.hits + after.misses - before.hits - before.misses : 0
    const hitRate = before && after && lookups > 0 ? (after.hits - before.hits) / lookups : null
    await measure(toggle('toggle', `PATCH ${prefix}/todos/{id} + GET ${prefix}/todos`, target, togglerToken, toggler))
    await logInStorm(target, reader.username)
    return {
      mode: 'base',
      tool: TOOL,
      secondsPerCase: SECONDS,
      warmupSeconds: WARMUP,
      connections: CONNECTIONS,
      cases,
      verdicts: judge({}, hitRate, null),
      queriesPerRequest: {},
      cacheHitRate: hitRate,
      notes,
    }
  } finally {
    await stopAll()
    if (floor && !options['keep-db']) await dropDatabase(databaseUrl)
  }
}

async function main() {
  const startedAt = new Date()
  const runId = startedAt.toISOString().replace(/[:.]/g, '-').replace(/Z$/, '')
  const loadBefore = loadAverage()
  log(`load average ${loadBefore}; ${TOOL}, ${CONNECTIONS} connections, ${SECONDS} s per case after ${WARMUP} s of warm-up`)
  const body = options.base ? await runBase(options.base) : await runApp(runId)
  const report: Report = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), loadBefore, loadAfter: loadAverage(), ...body }

  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${runId}.json`)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)

  const out = [
    `## Benchmark, ${report.startedAt} (${report.mode === 'base' ? options.base : 'next start'}, ${TOOL}, ` +
      `${CONNECTIONS} connections, ${SECONDS} s per case)`,
    '',
    formatTable(report.cases, find('health'), find('floor')),
    '',
    `Load average (1, 5, 15 min): ${report.loadBefore} before, ${report.loadAfter} after; "load" is the 1-minute figure when each case began.`,
    '',
    formatVerdicts(report.verdicts),
    '',
  ]
  if (Object.keys(report.queriesPerRequest).length > 0) {
    out.push(
      `Database statements per request: ${Object.entries(report.queriesPerRequest)
        .map(([id, n]) => `${id} ${fixed(n, 2)}`)
        .join(', ')}`,
      '',
    )
  }
  if (report.scale) {
    out.push(
      `Scale database: ${report.scale.todos.toLocaleString('en-US')} todos, seeded in ${fixed(report.scale.seconds, 1)} s.`,
      '',
      formatPlans(report.scale.plans),
    )
  }
  for (const note of report.notes) out.push(`- ${note}`)
  out.push('', `Full results: ${file}`)
  console.log(out.join('\n'))
}

const deadline = setTimeout(() => {
  log(`still running after ${DEADLINE_MS / 60_000} minutes: stopping`)
  killAllNow()
  process.exit(1)
}, DEADLINE_MS)
deadline.unref()

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllNow()
    process.exit(130)
  })
}
process.on('exit', killAllNow)

try {
  await main()
} catch (error) {
  log(error instanceof Error ? error.message : String(error))
  await stopAll()
  process.exitCode = 1
}
