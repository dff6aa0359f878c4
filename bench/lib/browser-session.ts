// Session cookies for the page cases, got the way a person gets one: headless Chromium fills in the
// log-in form and the app's server action signs in. (Driving the server action from a script would
// mean reverse-engineering Next's action ids and payload format.)
import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext } from '@playwright/test'
import { SESSION_COOKIE_NAME } from '../../server/page-guard.mjs'

export type LogIn = { username: string; password: string; returnTo: string }

/** Where Chromium is, or null (then the page cases are skipped). */
export function chromiumPath(): string | null {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (path): path is string => !!path && existsSync(path),
  ) ?? null
}

/**
 * Logs each account in through the log-in page at `origin` and returns its `Cookie` header value.
 * `returnTo` is where the form sends the browser afterwards; a page that reads no todo list keeps
 * that user's cache cold.
 */
export async function sessionCookies(origin: string, executablePath: string, logIns: LogIn[]): Promise<string[]> {
  return withBrowser(executablePath, async (browser) => {
    const cookies: string[] = []
    for (const logIn of logIns) {
      const context = await browser.newContext()
      cookies.push(await logInThroughPage(context, origin, logIn))
      await context.close()
    }
    return cookies
  })
}

/** Headless Chromium for `run`, closed afterwards. */
export async function withBrowser<T>(executablePath: string, run: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({
    executablePath,
    // Without these, Chromium keeps trying to reach Google's hosts, which this machine cannot.
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    return await run(browser)
  } finally {
    await browser.close()
  }
}

/** Logs in through the log-in page in `context` and returns the session's `Cookie` header value. */
export async function logInThroughPage(context: BrowserContext, origin: string, { username, password, returnTo }: LogIn): Promise<string> {
  const page = await context.newPage()
  await page.goto(`${origin}/login?callbackUrl=${encodeURIComponent(returnTo)}`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL((url) => url.pathname === returnTo, { timeout: 30_000 })
  await page.close()
  const session = (await context.cookies()).filter((cookie) => SESSION_COOKIE_NAME.test(cookie.name))
  if (session.length === 0) throw new Error(`logging in as ${username} set no session cookie`)
  return session.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
}
