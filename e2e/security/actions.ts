import { expect, type APIResponse, type Page } from '@playwright/test'

// Server actions are public endpoints: `POST <page>` with a `Next-Action` header naming the action
// and its arguments in React's reply encoding. These helpers call them the way an attacker with a
// valid session would, with any arguments, bypassing the forms.

/**
 * The `Next-Action` id of the action that `trigger` makes the page call (the page must be
 * hydrated), read from the request the browser sends.
 */
export async function captureActionId(page: Page, trigger: () => Promise<unknown>): Promise<string> {
  const request = page.waitForRequest((r) => r.method() === 'POST' && r.headers()['next-action'] !== undefined)
  await trigger()
  const id = (await request).headers()['next-action']
  if (!id) throw new Error('no Next-Action header')
  return id
}

/** React's reply encoding of plain JSON values: a string that starts with `$` is escaped as `$$…`. */
export function encodeReply(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('$') ? `$${value}` : value
  if (Array.isArray(value)) return value.map(encodeReply)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, encodeReply(entry)]))
  }
  return value
}

/** Calls a server action with JSON arguments, as the React client does, with the page's session cookie. */
export function callAction(page: Page, actionId: string, args: unknown[], path = '/todos'): Promise<APIResponse> {
  return page.request.post(path, {
    headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
    data: JSON.stringify(encodeReply(args)),
    maxRedirects: 0,
  })
}

/**
 * Calls a server action that takes one FormData, as the React client does: the form's fields are
 * sent as multipart parts prefixed `_1_`, and the argument list refers to them (`$K1`).
 */
export function callFormAction(page: Page, actionId: string, fields: Record<string, string>, path = '/todos') {
  // In the client's order: the fields first, the argument list last (the server decodes it as it
  // streams in, and a `$K1` read before its fields would find an empty form).
  const multipart = new FormData()
  for (const [name, value] of Object.entries(fields)) multipart.append(`_1_${name}`, value)
  multipart.append('0', '["$K1"]')
  return page.request.post(path, {
    headers: { 'next-action': actionId, accept: 'text/x-component' },
    multipart,
    maxRedirects: 0,
  })
}

/**
 * Asserts that an action call (ours, or the page's own) was answered without a server error: no
 * 5xx, and no error row in the RSC payload.
 */
export async function expectActionAnswered(response: Pick<APIResponse, 'status' | 'text'>, what: string) {
  const body = await response.text()
  expect(response.status(), `${what} → ${response.status()} ${body.slice(0, 300)}`).toBeLessThan(500)
  // The action's own throw comes back as a row like `1:E{"digest":"…"}` (and the error page).
  expect(body, `${what}: the action threw`).not.toMatch(/^\d+:E\{/m)
}
