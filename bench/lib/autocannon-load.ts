// The fallback load generator (when wrk is not installed), run as its own process by load.ts:
//   node --import tsx bench/lib/autocannon-load.ts '<LoadSpec as JSON>'
// Prints one line `BENCH_RESULT {LoadResult as JSON}`.
import { randomUUID } from 'node:crypto'
import autocannon from 'autocannon'
import type { LoadResult, LoadSpec } from './load'

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec

function toggleRequests(toggle: NonNullable<LoadSpec['toggle']>): autocannon.Request[] {
  let n = 0
  return [
    {
      method: 'PATCH',
      headers: { ...spec.headers, 'content-type': 'application/json' },
      // Rotates over the ids across all connections, flipping is_done on each round.
      setupRequest: (request) => {
        const id = toggle.ids[n % toggle.ids.length]
        const done = Math.floor(n / toggle.ids.length) % 2 === 0
        n++
        return { ...request, path: `${toggle.base}/todos/${id}`, body: JSON.stringify({ is_done: done }) }
      },
    },
    // autocannon runs the array in order on each connection: every PATCH is followed by its read.
    { method: 'GET', path: `${toggle.base}/todos`, headers: spec.headers },
  ]
}

function actionRequests(action: NonNullable<LoadSpec['action']>): autocannon.Request[] {
  let n = 0
  return [
    {
      method: 'POST',
      headers: spec.headers,
      setupRequest: (request) => {
        const body = action.bodies[n % action.bodies.length]!.replace('@KEY@', randomUUID())
        const id = action.seq ? action.seq.first + (n % action.seq.count) : 0
        n++
        return { ...request, body: body.replace('@SEQ@', String(id)) }
      },
      onResponse: (status, body) => {
        if (status >= 200 && status < 300 && !body.includes(action.expect)) refused++
      },
    },
  ]
}
let refused = 0

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  timeout: 5,
  method: spec.method ?? 'GET',
  headers: spec.headers,
  body: spec.body,
  requests: spec.toggle ? toggleRequests(spec.toggle) : spec.action ? actionRequests(spec.action) : undefined,
})

const load: LoadResult = {
  requests: result.requests.total,
  seconds: result.duration,
  rps: result.duration > 0 ? result.requests.total / result.duration : 0,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  non2xx: result.non2xx + refused,
  socketErrors: result.errors,
}
console.log(`BENCH_RESULT ${JSON.stringify(load)}`)
