import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, openSync } from 'node:fs'
import { expect } from '@playwright/test'
import { serverEnv } from '../playwright.config'
import { freePort } from '../scripts/lib/free-port'
import { REPORTS_DIR, serverLogFile } from './secrets'

export type AppServer = { base: string; port: number; process: ChildProcess; exited: Promise<number | null>; stop: () => void }

/**
 * An app instance of the test's own (npm start = server.mjs), with `env` over the suite's server
 * environment: for tests that stop it or cut what it reaches, without disturbing the others.
 */
export async function startAppServer(env: Record<string, string>): Promise<AppServer> {
  const port = await freePort()
  mkdirSync(REPORTS_DIR, { recursive: true })
  const child = spawn('node', ['server.mjs'], {
    env: { ...process.env, ...serverEnv, RUN_WORKER: 'false', ...env, PORT: String(port) },
    // Its log joins the others for the secrets check (e2e/global-teardown.ts).
    stdio: ['ignore', openSync(serverLogFile(port), 'w'), 'ignore'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const base = `http://127.0.0.1:${port}`
  await expect(async () => expect((await fetch(`${base}/api/health`)).status).toBe(200)).toPass({ timeout: 30_000 })
  return { base, port, process: child, exited, stop: () => void child.kill('SIGKILL') }
}
