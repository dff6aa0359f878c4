import { defineConfig, devices } from '@playwright/test'
import { findChromium } from './scripts/chromium'

// `npm run test:stack`: the suite against the cluster topology of deploy/stack.sh (started by
// `stack:up` first): nginx on 3400 in front of app-1 (3401) and app-2 (3402), Galera behind
// HAProxy, a Redis Cluster, the mail catcher on 3425/3426. The settings the shared e2e modules
// read point at it: E2E_PORT 3400 puts the mail sink at 3426 and the peer instance at 3402.
process.env.E2E_PORT = '3400'
process.env.E2E_DATABASE_URL = 'mysql://todos:todos-stack@127.0.0.1:3390/todos'

export default defineConfig({
  testDir: './e2e',
  // The secrets the tests use are noted as they go (e2e/secrets.ts); none may reach a log.
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/stack/global-teardown.ts',
  outputDir: './test-results/stack',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // The JSON report (.test-reports/stack.json, named by scripts/test-stack.mjs) feeds npm test's count.
  reporter: [['list'], ['json']],
  use: {
    baseURL: 'http://127.0.0.1:3400',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: findChromium() },
    ...devices['Desktop Chrome'],
    channel: undefined,
  },
  projects: [
    // The API contract, unchanged, through nginx: the same answers as on one machine.
    { name: 'contract', testMatch: 'api/**/*.spec.ts' },
    { name: 'smoke', testMatch: 'stack/smoke.spec.ts', dependencies: ['contract'] },
    // One fault at a time, after everything else: each kills a part the others use.
    { name: 'faults', testMatch: 'stack/faults.spec.ts', dependencies: ['smoke'], fullyParallel: false },
  ],
})
