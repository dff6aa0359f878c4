// The live-update cases (issue 13): what open Server-Sent Events streams cost an instance, and how
// soon a write reaches them. Streams are opened from this process with bearer tokens, as any client
// of GET /api/events would; the server's memory comes from /proc (proc.ts).
import { readEvents } from '../../test/support/sse'
import { usageOf, type Service } from './proc'

type Stream = ReturnType<typeof readEvents> & { userIndex: number }

export type LiveFigures = {
  idle: { streams: number; rssBeforeMiB: number; rssAfterMiB: number; perStreamKiB: number; health: Latency; healthAlone: Latency }
  fanOut: { streams: number; users: number; writes: number; p50Ms: number; p99Ms: number; maxMs: number; missed: number }
}
type Latency = { p50Ms: number; p99Ms: number }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function openStreams(origin: string, tokens: string[], perUser: number): Promise<Stream[]> {
  const streams: Stream[] = []
  // A few at a time, as browsers arrive: each is a request the server answers (session check,
  // version read). A 503 (the database busy) is tried again, as EventSource does after `retry:`.
  for (let start = 0; start < tokens.length; start += 25) {
    const batch = tokens.slice(start, start + 25).flatMap((token, i) => Array.from({ length: perUser }, () => ({ token, userIndex: start + i })))
    const opened = await Promise.all(
      batch.map(async ({ token, userIndex }) => {
        let response = await fetch(`${origin}/api/events`, { headers: { Authorization: `Bearer ${token}` } })
        for (let attempt = 0; response.status === 503 && attempt < 5; attempt++) {
          await sleep(500)
          response = await fetch(`${origin}/api/events`, { headers: { Authorization: `Bearer ${token}` } })
        }
        if (response.status !== 200) throw new Error(`GET /api/events answered ${response.status}`)
        return { ...readEvents(response), userIndex }
      }),
    )
    streams.push(...opened)
  }
  const deadline = Date.now() + 30_000
  while (streams.some((stream) => stream.versions().length === 0)) {
    if (Date.now() > deadline) throw new Error('not every stream said its first version within 30 s')
    await sleep(50)
  }
  return streams
}

/** p50 and p99 of `n` sequential GET /api/health: how long the event loop keeps a cheap request waiting. */
async function healthLatency(origin: string, n = 400): Promise<Latency> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const started = performance.now()
    await (await fetch(`${origin}/api/health`)).arrayBuffer()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) }
}

/**
 * 1. `idleStreams` streams (spread over the users) held open: the server's RSS before and after
 *    (per stream), and GET /api/health's latency beside them against without.
 * 2. `fanOutStreams` streams of `fanOutUsers` users (two each): `writes` todo creations, one at a
 *    time, each by a random one of those users; for each, the time from the write's answer arriving
 *    here to its event arriving on each of the user's streams (negative: the event came first).
 */
export async function measureLive(
  origin: string,
  service: Service,
  tokens: string[],
  { idleStreams = 2_000, fanOutUsers = 500, writes = 300 }: { idleStreams?: number; fanOutUsers?: number; writes?: number } = {},
): Promise<LiveFigures> {
  const healthAlone = await healthLatency(origin)
  const rssBeforeMiB = usageOf(service.pid).rssMiB
  const idle = await openStreams(origin, tokens, Math.ceil(idleStreams / tokens.length))
  await sleep(3_000) // let allocation settle
  const rssAfterMiB = usageOf(service.pid).rssMiB
  const health = await healthLatency(origin)
  for (const stream of idle) await stream.cancel()
  await sleep(1_000)

  const fanOutTokens = tokens.slice(0, fanOutUsers)
  const streams = await openStreams(origin, fanOutTokens, 2)
  const byUser = new Map<number, Stream[]>()
  for (const stream of streams) byUser.set(stream.userIndex, [...(byUser.get(stream.userIndex) ?? []), stream])
  const delays: number[] = []
  let missed = 0
  for (let i = 0; i < writes; i++) {
    const userIndex = Math.floor(Math.random() * fanOutTokens.length)
    const own = byUser.get(userIndex)!
    const seen = own.map((stream) => stream.events.length)
    const response = await fetch(`${origin}/api/todos`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fanOutTokens[userIndex]}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ contents: `live bench ${i}` }),
    })
    const answered = performance.now()
    if (response.status !== 201) throw new Error(`POST /api/todos answered ${response.status}`)
    await response.arrayBuffer()
    const arrived = () => own.map((stream, s) => stream.events.slice(seen[s]).find((event) => event.event === 'todos')?.receivedAt ?? null)
    const deadline = answered + 2_000
    while (arrived().some((at) => at === null) && performance.now() < deadline) await sleep(1)
    for (const at of arrived()) {
      if (at === null) missed++
      else delays.push(at - answered)
    }
  }
  for (const stream of streams) await stream.cancel()
  delays.sort((a, b) => a - b)
  return {
    idle: {
      streams: idle.length,
      rssBeforeMiB,
      rssAfterMiB,
      perStreamKiB: ((rssAfterMiB - rssBeforeMiB) * 1024) / idle.length,
      health,
      healthAlone,
    },
    fanOut: {
      streams: streams.length,
      users: fanOutTokens.length,
      writes,
      p50Ms: percentile(delays, 50),
      p99Ms: percentile(delays, 99),
      maxMs: delays.at(-1) ?? NaN,
      missed,
    },
  }
}
