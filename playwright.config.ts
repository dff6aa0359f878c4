import { defineConfig, devices } from '@playwright/test'
import { findChromium } from './scripts/chromium'
import { serverLogFile } from './e2e/secrets'

const PORT = Number(process.env.E2E_PORT ?? 3100)
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/todo_e2e'
/**
 * A second instance reaches the same database and Redis through TCP relays that tests start and
 * cut (test/support/tcp-proxy.ts), to see outages without disturbing the other tests.
 */
export const OUTAGE_APP_PORT = PORT + 1
export const OUTAGE_RELAY_PORT = Number(process.env.E2E_RELAY_PORT ?? PORT + 299)
export const OUTAGE_REDIS_RELAY_PORT = OUTAGE_RELAY_PORT - 1
/** A peer of the main instance on the same database and Redis: a second machine behind a load balancer. */
export const PEER_APP_PORT = PORT + 2

/** Known to the tests so that they can mint tokens the server must refuse (expired, wrong audience). */
export const E2E_AUTH_SECRET = 'e2e-secret-not-for-production-0123456789abcdef'

/** Lets the tests read /api/metrics from an address other than loopback (e2e/observability.spec.ts). */
export const E2E_METRICS_TOKEN = 'e2e-metrics-token-not-for-production-0123'

/** Where the app instances send mail, and where tests read it (e2e/mail-sink.ts). */
export const MAIL_SINK_SMTP_PORT = PORT + 25
export const MAIL_SINK_URL = `http://127.0.0.1:${PORT + 26}`

/** The environment every app instance of the suite gets (tests that start their own use it too). */
export const serverEnv = {
  AUTH_SECRET: E2E_AUTH_SECRET,
  METRICS_TOKEN: E2E_METRICS_TOKEN,
  NEXT_TELEMETRY_DISABLED: '1',
  SMTP_URL: `smtp://127.0.0.1:${MAIL_SINK_SMTP_PORT}`,
  MAIL_FROM: 'Todos <no-reply@todos.test>',
  // Required in production: the links in reminder and summary emails.
  APP_URL: `http://127.0.0.1:${PORT}`,
  // Every test runs from 127.0.0.1: per-address limits would throttle the suite itself. They are
  // proven in test/integration/rate-limit.test.ts (and password-reset.test.ts); per-username and
  // per-email limits keep their defaults here.
  RATE_LOGIN_FAILURES_PER_IP: '100000',
  RATE_SIGNUPS_PER_IP: '100000',
  RATE_CODE_REQUESTS_PER_IP: '100000',
  RATE_PASSWORD_RESETS_PER_IP: '100000',
  // The load test and the fuzzers write thousands of times a minute as one user; the per-account
  // write limit is proven in test/integration/transfer.test.ts.
  RATE_WRITES_PER_USER_PER_MINUTE: '1000000',
}

// The end-to-end suite runs against the production build (`next build` first) served by server.mjs
// (`npm start`), as users get it.
export default defineConfig({
  testDir: './e2e',
  // The cluster topology's own suite (playwright.stack.config.ts, npm run test:stack).
  testIgnore: 'stack/**',
  // The teardown checks that no secret the tests used reached a server log (e2e/secrets.ts).
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
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
      command: 'npx tsx e2e/mail-sink.ts',
      url: `${MAIL_SINK_URL}/`,
      reuseExistingServer: !process.env.CI,
      env: { MAIL_SINK_SMTP_PORT: String(MAIL_SINK_SMTP_PORT), MAIL_SINK_HTTP_PORT: String(PORT + 26) },
    },
    {
      // The server's log (JSON lines on stdout) goes to a file for the secrets check; stderr (a
      // crash, Next's own messages) stays on the console.
      command: `npx tsx scripts/db-push.ts && mkdir -p .test-reports && node server.mjs > ${serverLogFile(PORT)}`,
      url: `http://localhost:${PORT}/login`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { ...serverEnv, PORT: String(PORT), DATABASE_URL: E2E_DATABASE_URL },
    },
    {
      command: `mkdir -p .test-reports && node server.mjs > ${serverLogFile(PEER_APP_PORT)}`,
      url: `http://localhost:${PEER_APP_PORT}/login`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      // The main instance runs the workers; this one only serves.
      env: { ...serverEnv, PORT: String(PEER_APP_PORT), DATABASE_URL: E2E_DATABASE_URL, RUN_WORKER: 'false' },
    },
    {
      command: `mkdir -p .test-reports && node server.mjs > ${serverLogFile(OUTAGE_APP_PORT)}`,
      url: `http://localhost:${OUTAGE_APP_PORT}/login`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'ignore',
      env: {
        ...serverEnv,
        PORT: String(OUTAGE_APP_PORT),
        DATABASE_URL: E2E_DATABASE_URL.replace(/:3306\//, `:${OUTAGE_RELAY_PORT}/`),
        REDIS_URL: `redis://127.0.0.1:${OUTAGE_REDIS_RELAY_PORT}`,
        // Same keys as the main instance (whose prefix comes from its database name): the relay is
        // the only difference.
        REDIS_PREFIX: `todos-${new URL(E2E_DATABASE_URL).pathname.slice(1)}`,
      },
    },
  ],
})
