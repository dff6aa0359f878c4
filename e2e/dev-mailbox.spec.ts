import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { E2E_AUTH_SECRET, E2E_DATABASE_URL } from '../playwright.config'
import { freePort } from '../scripts/lib/free-port'
import { expectNoAxeViolations } from './a11y'
import { createAccount, expect, logIn, test, uniqueEmail } from './fixtures'

// The development mailbox exists only outside production builds, so this spec starts `next dev`
// of its own (it writes to .next/dev, beside the production build the other specs use), with no
// SMTP server: mail goes to a mailbox folder of this run. Its own Redis prefix keeps its worker
// off the other instances' queue.

let server: ChildProcess | undefined
let base = ''
let mailbox = ''

test.describe.configure({ mode: 'serial', timeout: 360_000 })
// `next dev` compiles each page on its first request: minutes on a busy two-core machine.
const FIRST_COMPILE = { timeout: 120_000 }
test.use({ navigationTimeout: 120_000, actionTimeout: 60_000 })

test.beforeAll(async () => {
  test.setTimeout(240_000)
  const port = await freePort()
  mailbox = mkdtempSync(join(tmpdir(), 'dev-mailbox-'))
  const { NODE_ENV: _production, SMTP_URL: _smtp, ...inherited } = process.env
  // Its own process group, so that stopping it stops the next-server it starts too.
  server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'dev', '--port', String(port)], {
    detached: true,
    env: {
      ...inherited,
      NODE_ENV: 'development',
      AUTH_SECRET: E2E_AUTH_SECRET,
      DATABASE_URL: E2E_DATABASE_URL,
      REDIS_PREFIX: 'todos-e2e-dev-mailbox',
      DEV_MAILBOX_DIR: mailbox,
      NEXT_TELEMETRY_DISABLED: '1',
      RATE_SIGNUPS_PER_IP: '100000',
      RATE_CODE_REQUESTS_PER_IP: '100000',
    },
    stdio: 'ignore',
  })
  base = `http://localhost:${port}`
  // The first request compiles the page: allow for a slow machine.
  await expect(async () => expect((await fetch(`${base}/login`)).status).toBe(200)).toPass({ timeout: 180_000 })
})

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM')
  rmSync(mailbox, { recursive: true, force: true })
})

test('the dev mailbox and its messages pass axe in both languages and both themes', async ({ browser }) => {
  const account = await createAccount('mailbox')
  const email = uniqueEmail('mailbox')
  const setup = await browser.newContext({ baseURL: base })
  const page = await setup.newPage()
  await logIn(page, account)
  await expect(page).toHaveURL(/\/todos$/, FIRST_COMPILE)
  await page.goto('/account')
  await page.getByLabel('Email').fill(email)
  await page.getByRole('button', { name: 'Send code' }).click()
  await expect(page.getByRole('link', { name: 'dev mailbox' })).toBeVisible(FIRST_COMPILE)
  const cookies = await setup.cookies()
  await setup.close()

  for (const { locale, lang } of [
    { locale: 'en-US', lang: 'en' },
    { locale: 'ko-KR', lang: 'ko' },
  ]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ baseURL: base, locale, colorScheme })
      await context.addCookies(cookies)
      const view = await context.newPage()
      await view.goto('/dev/mailbox')
      await expect(view.locator('html')).toHaveAttribute('lang', lang)
      const message = view.getByRole('link', { name: email })
      await expect(async () => {
        await view.reload()
        await expect(message).toBeVisible({ timeout: 1_000 })
      }).toPass(FIRST_COMPILE)
      await expectNoAxeViolations(view, `the dev mailbox (${lang}, ${colorScheme})`)
      await message.click()
      await expect(view.getByRole('heading', { level: 1 })).toBeVisible(FIRST_COMPILE)
      await expectNoAxeViolations(view, `a dev mailbox message (${lang}, ${colorScheme})`)
      await context.close()
    }
  }
})
