// The load generator, always a separate process on loopback: wrk when it is installed, else
// autocannon (run in a child process too, so that it never shares an event loop with the bench).
import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type LoadTool = 'wrk' | 'autocannon'

export type LoadSpec = {
  url: string
  connections: number
  seconds: number
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** Alternate PATCH `<base>/todos/<id>` over `ids` with GET `<base>/todos` (url gives the origin). */
  toggle?: { base: string; ids: number[] }
  /**
   * POST these bodies in turn (a server action's, see actions.ts), each `@KEY@` replaced by a
   * fresh UUID; a 2xx answer without `expect` in its body counts as non-2xx.
   */
  action?: { bodies: string[]; expect: string; seq?: { first: number; count: number } }
}

export type LoadResult = {
  requests: number
  seconds: number
  rps: number
  p50Ms: number
  p99Ms: number
  /** Responses outside 200-299. */
  non2xx: number
  /** Connect, read and write errors and time-outs. */
  socketErrors: number
}

const here = fileURLToPath(new URL('.', import.meta.url))

/** wrk when it is on the PATH, else autocannon. */
export function defaultTool(): LoadTool {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, 'wrk'), constants.X_OK)
      return 'wrk'
    } catch {
      // not here
    }
  }
  return 'autocannon'
}

/** Runs `spec` with `tool` and returns what it measured; bounded: killed 20 s after its duration. */
export async function runLoad(tool: LoadTool, spec: LoadSpec): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(spec) : runAutocannon(spec)
}

async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const threads = Math.min(2, spec.connections)
  const args = [
    `-t${threads}`,
    `-c${spec.connections}`,
    `-d${spec.seconds}s`,
    '--timeout',
    '5s',
    '-s',
    join(here, 'wrk.lua'),
  ]
  for (const [name, value] of Object.entries(spec.headers ?? {})) args.push('-H', `${name}: ${value}`)
  args.push(spec.url)
  const env = {
    ...process.env,
    BENCH_METHOD: spec.method ?? '',
    BENCH_BODY: spec.body ?? '',
    BENCH_TOGGLE_IDS: spec.toggle?.ids.join(',') ?? '',
    BENCH_TOGGLE_BASE: spec.toggle?.base ?? '',
    BENCH_ACTION_BODIES: spec.action?.bodies.join('\n') ?? '',
    BENCH_EXPECT: spec.action?.expect ?? '',
    BENCH_ACTION_SEQ: spec.action?.seq ? `${spec.action.seq.first}:${spec.action.seq.count}` : '',
    BENCH_THREADS: String(threads),
  }
  const out = await capture('wrk', args, env, (spec.seconds + 20) * 1000)
  const line = /^BENCH_RESULT (.+)$/m.exec(out)?.[1]
  if (!line) throw new Error(`wrk printed no result:\n${out}`)
  const r = JSON.parse(line) as Record<string, number>
  const seconds = (r.duration_us ?? 0) / 1e6
  const requests = r.requests ?? 0
  return {
    requests,
    seconds,
    rps: seconds > 0 ? requests / seconds : 0,
    p50Ms: (r.p50_us ?? 0) / 1000,
    p99Ms: (r.p99_us ?? 0) / 1000,
    non2xx: r.non2xx ?? 0,
    socketErrors: (r.connect ?? 0) + (r.read ?? 0) + (r.write ?? 0) + (r.timeout ?? 0),
  }
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const script = join(here, 'autocannon-load.ts')
  const out = await capture(process.execPath, ['--import', 'tsx', script, JSON.stringify(spec)], process.env, (spec.seconds + 20) * 1000)
  const line = /^BENCH_RESULT (.+)$/m.exec(out)?.[1]
  if (!line) throw new Error(`autocannon printed no result:\n${out}`)
  return JSON.parse(line) as LoadResult
}

function capture(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`${command}: ${error.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`${command} exited with ${code}:\n${out}`))
    })
  })
}
