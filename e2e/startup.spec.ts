import { spawn } from 'node:child_process'
import { E2E_DATABASE_URL, serverEnv } from '../playwright.config'
import { freePort } from '../scripts/lib/free-port'
import { expect, test } from './fixtures'

/** Starts `npm start`'s server.mjs with `env` over the suite's and waits for it to exit (or 30 s). */
async function startAndWaitForExit(env: Record<string, string>): Promise<{ code: number | null; output: string; answered: boolean }> {
  const port = await freePort()
  const child = spawn('node', ['server.mjs'], {
    env: { ...process.env, ...serverEnv, DATABASE_URL: E2E_DATABASE_URL, RUN_WORKER: 'false', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const timeout = new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 30_000))
  const outcome = await Promise.race([exited, timeout])
  // A server that did not stop: whether it answers (it should not be running at all).
  const answered = outcome === 'running' && (await fetch(`http://127.0.0.1:${port}/api/health`).then(() => true, () => false))
  child.kill('SIGKILL')
  return { code: outcome === 'running' ? null : outcome, output, answered }
}

test('a misconfigured instance stops at once with one line naming each wrong setting, instead of serving errors', async () => {
  test.setTimeout(60_000)
  const { code, output, answered } = await startAndWaitForExit({ AUTH_SECRET: 'too short', APP_URL: '' })
  expect(answered, 'the server went on answering').toBe(false)
  expect(code).toBe(1)
  const fatal = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; msg: string })
    .filter((line) => line.level === 'fatal')
  expect(fatal).toHaveLength(1)
  expect(fatal[0]?.msg).toContain('AUTH_SECRET: must be at least 32 characters')
  expect(fatal[0]?.msg).toContain('APP_URL: is required in production')
  // One actionable line, not a stack trace.
  expect(output).not.toMatch(/\n\s+at /)
})
