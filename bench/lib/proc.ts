// Processes the benchmark starts and measures: spawning in their own process group (so that stopping
// one also stops whatever it forked), free ports, waiting for readiness, and CPU time and RSS read
// from /proc — the server's own accounting, not the load generator's guess.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

function sysconf(name: string, fallback: number): number {
  try {
    return Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim()) || fallback
  } catch {
    return fallback
  }
}

const TICKS_PER_SECOND = sysconf('CLK_TCK', 100)
const PAGE_SIZE = sysconf('PAGESIZE', 4096)

type Stat = { pid: number; ppid: number; ticks: number; rssBytes: number }

function readStat(pid: number): Stat | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null // exited between the directory listing and the read
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  // fields[0] is field 3 (state), so field n of proc(5) is fields[n - 3].
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const field = (n: number) => Number(fields[n - 3])
  // utime + stime, plus cutime + cstime: the CPU of children that already exited and were reaped
  // is moved into their parent's c-fields, so the sum over the live tree counts every tick once.
  return { pid, ppid: field(4), ticks: field(14) + field(15) + field(16) + field(17), rssBytes: field(24) * PAGE_SIZE }
}

/** The process and all its descendants, as they are now. */
function processTree(root: number): Stat[] {
  const all: Stat[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readStat(Number(entry))
    if (stat) all.push(stat)
  }
  const tree: Stat[] = []
  const wanted = new Set([root])
  // Parents are listed before children often but not always: repeat until nothing is added.
  for (let grew = true; grew; ) {
    grew = false
    for (const stat of all) {
      if (!tree.includes(stat) && (wanted.has(stat.pid) || wanted.has(stat.ppid))) {
        tree.push(stat)
        wanted.add(stat.pid)
        grew = true
      }
    }
  }
  return tree
}

export type Usage = { cpuMs: number; rssMiB: number }

/** CPU milliseconds used so far and resident memory now, of `pid` and its descendants. */
export function usageOf(pid: number): Usage {
  const tree = processTree(pid)
  const ticks = tree.reduce((sum, stat) => sum + stat.ticks, 0)
  const rss = tree.reduce((sum, stat) => sum + stat.rssBytes, 0)
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssMiB: rss / 2 ** 20 }
}


/** A child's environment. (Next's types declare NODE_ENV always set, which a child may rightly lack.) */
export type Env = Record<string, string | undefined>

export type Service = { name: string; child: ChildProcess; pid: number; logFile: string; exited: () => boolean }

const running = new Set<Service>()

/** Starts a long-running process in its own process group, its output going to `logFile`. */
export function startService(
  name: string,
  command: string,
  args: string[],
  options: { env: Env; cwd: string; logFile: string },
): Service {
  const log = createWriteStream(options.logFile)
  const env = options.env as NodeJS.ProcessEnv
  const child = spawn(command, args, { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  let exited = false
  child.on('exit', () => (exited = true))
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`)
  const service: Service = { name, child, pid: child.pid, logFile: options.logFile, exited: () => exited }
  running.add(service)
  return service
}

/** SIGTERM to the service's process group; SIGKILL if it has not exited within `graceMs`. */
export async function stopService(service: Service, graceMs = 5_000): Promise<void> {
  running.delete(service)
  if (service.exited()) return
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-service.pid, sig)
    } catch {
      // already gone
    }
  }
  const exit = new Promise<void>((resolve) => service.child.once('exit', () => resolve()))
  signal('SIGTERM')
  if (await Promise.race([exit.then(() => true), sleep(graceMs).then(() => false)])) return
  signal('SIGKILL')
  await Promise.race([exit, sleep(1_000)])
}

/** Stops every service still running (on the way out, including after a failure). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((service) => stopService(service)))
}

/** Kills every service group at once, synchronously: for a process that is exiting now. */
export function killAllNow(): void {
  for (const service of running) {
    try {
      process.kill(-service.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** Waits until `url` answers 200, failing early if the service exits, or after `timeoutMs`. */
export async function waitForHttp(url: string, service: Service | null, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (service?.exited()) throw new Error(`${service.name} exited while starting: see ${service.logFile}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      await response.arrayBuffer()
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  throw new Error(`${service?.name ?? url} did not answer 200 at ${url} within ${timeoutMs / 1000} s`)
}

/** The machine's load averages (1, 5, 15 min), as `uptime` shows them. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}
