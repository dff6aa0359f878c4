import { defineConfig, devices } from '@playwright/test'
import { findChromium } from './scripts/chromium'

const PORT = Number(process.env.E2E_PORT ?? 3100)
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/todo_e2e'
/** A second instance reaches the same database through a TCP relay that tests can cut (e2e/tcp-proxy.ts). */
export const OUTAGE_APP_PORT = PORT + 1
export const OUTAGE_RELAY_PORT = Number(process.env.E2E_RELAY_PORT ?? 3399)

/** Known to the tests so that they can mint tokens the server must refuse (expired, wrong audience). */
export const E2E_AUTH_SECRET = 'e2e-secret-not-for-production-0123456789abcdef'

const serverEnv = {
  AUTH_SECRET: E2E_AUTH_SECRET,
  NEXT_TELEMETRY_DISABLED: '1',
}

// The end-to-end suite runs against the production build (`next build` first), as users get it.
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: findChromium() },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: [
    {
      command: `npx tsx scripts/db-push.ts && npx next start -p ${PORT}`,
      url: `http://localhost:${PORT}/login`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { ...serverEnv, DATABASE_URL: E2E_DATABASE_URL },
    },
    {
      command: `npx next start -p ${OUTAGE_APP_PORT}`,
      url: `http://localhost:${OUTAGE_APP_PORT}/login`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'ignore',
      env: {
        ...serverEnv,
        DATABASE_URL: E2E_DATABASE_URL.replace(/:3306\//, `:${OUTAGE_RELAY_PORT}/`),
      },
    },
  ],
})
