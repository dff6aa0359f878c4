// The click cases: the list page's server action posted as the hydrated page posts it. The action's
// id and the headers Next's router sends change with every build, so they are recorded from a real
// click in headless Chromium; the bench then sends the same request with other changes in its body
// (each with a fresh idempotency key, put in by wrk.lua) at the rate the load generator can.
import { logInThroughPage, withBrowser, type LogIn } from './browser-session'
import type { OutboxChange } from '../../lib/outbox'

/** What the browser sent for one click: the page's path, the action's headers, its body. */
export type RecordedAction = { path: string; headers: Record<string, string>; body: string }

/** In a body, where wrk.lua puts a fresh UUID for each request (the change's idempotency key). */
export const KEY_PLACEHOLDER = '@KEY@'

/** In a body, where wrk.lua puts the next id of a sequence (LoadSpec's action.seq): a bare number. */
export const SEQ_PLACEHOLDER = '@SEQ@'

/** What an applied change answers, somewhere in the action's RSC response. */
export const APPLIED = '"ok":true'

/** Headers of the recorded request that describe this request alone, or that the load tool sets. */
const NOT_REPLAYED = new Set(['content-length', 'host', 'cookie', 'connection', 'accept-encoding'])

/**
 * Logs in as `logIn` through the log-in page of `origin`, adds one todo on the list page, and
 * returns the request the page's outbox sent for it (applyChangeAction(key, change, view)) and the
 * session's Cookie header value.
 */
export async function recordAddAction(origin: string, executablePath: string, logIn: Omit<LogIn, 'returnTo'>): Promise<RecordedAction & { cookie: string }> {
  return withBrowser(executablePath, async (browser) => {
    const context = await browser.newContext()
    const cookie = await logInThroughPage(context, origin, { ...logIn, returnTo: '/todos' })
    const page = await context.newPage()
    await page.goto(`${origin}/todos`)
    // The outbox sends only once the page is hydrated: its card says so (data-outbox, todo-app.tsx).
    await page.locator('[data-outbox="ready"]').waitFor({ timeout: 30_000 })
    const posted = page.waitForRequest((request) => request.method() === 'POST' && request.headers()['next-action'] !== undefined, {
      timeout: 30_000,
    })
    const input = page.getByLabel('What needs to be done?')
    await input.fill('Recorded by the bench')
    await input.press('Enter')
    const request = await posted
    const headers = Object.fromEntries(
      Object.entries(await request.allHeaders()).filter(([name]) => !NOT_REPLAYED.has(name) && !name.startsWith(':')),
    )
    // Sent and answered: the page's outbox (localStorage, use-outbox.ts) is gone, nothing unsent.
    await page.waitForFunction(
      () => !Object.keys(localStorage).some((key) => key.startsWith('todos.outbox.')),
      undefined,
      { timeout: 30_000 },
    )
    const url = new URL(request.url())
    return { path: url.pathname + url.search, headers, body: request.postData() ?? '', cookie }
  })
}

/**
 * The body of applyChangeAction(key, change, view) as React encodes plain arguments (a JSON array),
 * with the key left for wrk.lua (and an id given as SEQ_PLACEHOLDER left bare, for a number), and
 * the recorded page's view (its filter and page, which the answer's list is read for). Checked
 * against the recorded body, so that a change in how the page calls the action fails here rather
 * than benchmarking refusals.
 */
export function changeBody(recorded: RecordedAction, change: OutboxChange): string {
  const parsed: unknown = JSON.parse(recorded.body)
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    (parsed[1] as { type?: unknown })?.type !== 'add' ||
    typeof (parsed[2] as { filter?: unknown })?.filter !== 'string'
  ) {
    throw new Error(`the page's action body is not [key, change, view] any more: ${recorded.body.slice(0, 200)}`)
  }
  return JSON.stringify([KEY_PLACEHOLDER, change, parsed[2]]).replace(`"${SEQ_PLACEHOLDER}"`, SEQ_PLACEHOLDER)
}
