import type { RowDataPacket } from 'mysql2'
import type { Page } from '@playwright/test'
import { addTodo, database, expect, newTodoInput, seedTodos, test, todoItems, todoRow, todoTexts } from './fixtures'

// "Nothing typed is lost" (docs/decisions/0016-nothing-typed-is-lost.md): changes are kept in the
// browser until the server has them, and the server applies each change's key once.

/** How many times each text is among the account's live todos, from the database itself. */
async function savedCounts(userId: number): Promise<Record<string, number>> {
  const [rows] = await database().execute<RowDataPacket[]>(
    'SELECT contents, COUNT(*) AS n FROM todo WHERE user_id = ? AND deleted_at IS NULL GROUP BY contents',
    [userId],
  )
  return Object.fromEntries(rows.map((row) => [row.contents as string, Number(row.n)]))
}

/** Waits until scripts run: from then on every change goes through the outbox. */
const outboxReady = (page: Page) => expect(page.locator('[data-outbox="ready"]')).toBeVisible()
const unsentStatus = (page: Page) => page.getByRole('status', { name: 'Unsaved changes' })
const storedOutbox = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('todos.outbox.')).map((key) => localStorage.getItem(key)))

test.describe('nothing typed is lost', () => {
  // Whole stories with several page loads each, on a shared 2-core machine.
  test.describe.configure({ timeout: 90_000 })

  test('five todos added and the page reloaded at once, twenty times: every todo there exactly once', async ({ page, signedIn }) => {
    test.setTimeout(300_000)
    const expected: Record<string, number> = {}
    for (let round = 1; round <= 20; round++) {
      await outboxReady(page)
      const texts = Array.from({ length: 5 }, (_, i) => `round ${round} todo ${i + 1}`)
      for (const text of texts) {
        await newTodoInput(page).fill(text)
        await newTodoInput(page).press('Enter')
        expected[text] = 1
      }
      // At once: no waiting for the server (online, the page does not ask "leave this page?").
      await page.reload()
      // The reopened page sends what the last one had not: the database ends with each text once.
      await expect.poll(() => savedCounts(signedIn.id), { timeout: 15_000 }).toEqual(expected)
    }
    await expect.poll(() => storedOutbox(page)).toEqual([])
    await expect(unsentStatus(page)).toHaveText('')
    expect(await savedCounts(signedIn.id)).toEqual(expected)
  })

  test('added offline, the tab closed, reopened online: saved once', async ({ page, context, signedIn }) => {
    await outboxReady(page)
    await context.setOffline(true)
    await addTodo(page, 'Written on the train')
    // Shown as made, and said to be unsent.
    await expect(todoTexts(page)).toHaveText(['Written on the train'])
    await expect(unsentStatus(page)).toHaveText(/^Offline: 1 change not saved yet/)
    await expect(page.getByText('1 item left')).toBeVisible()
    expect(await savedCounts(signedIn.id)).toEqual({})

    // Offline with an unsent change, closing asks first.
    const asked = page.waitForEvent('dialog')
    await page.close({ runBeforeUnload: true })
    const dialog = await asked
    expect(dialog.type()).toBe('beforeunload')
    await dialog.accept()
    await expect.poll(() => page.isClosed()).toBe(true)
    expect(await savedCounts(signedIn.id)).toEqual({})

    await context.setOffline(false)
    const reopened = await context.newPage()
    await reopened.goto('/todos')
    await expect.poll(() => savedCounts(signedIn.id)).toEqual({ 'Written on the train': 1 })
    await expect(unsentStatus(reopened)).toHaveText('')
    await expect(todoRow(reopened, 'Written on the train')).toHaveCount(1)
    await reopened.reload()
    await expect(todoRow(reopened, 'Written on the train')).toHaveCount(1)
    expect(await storedOutbox(reopened)).toEqual([])
  })

  test('offline changes of every kind show at once and are sent in order when back online, once with two tabs open', async ({
    page,
    context,
    signedIn,
  }) => {
    await outboxReady(page)
    await addTodo(page, 'Pay rent')
    await addTodo(page, 'Call mum')
    await expect.poll(() => savedCounts(signedIn.id)).toEqual({ 'Pay rent': 1, 'Call mum': 1 })
    await expect(todoRow(page, 'Call mum').getByRole('checkbox')).toBeVisible()
    const other = await context.newPage()
    await other.goto('/todos')
    await outboxReady(other)

    await context.setOffline(true)
    await todoRow(page, 'Pay rent').getByRole('checkbox').click()
    await todoRow(page, 'Call mum').getByRole('button', { name: 'Delete “Call mum”' }).click()
    await addTodo(page, 'Buy stamps')
    await expect(unsentStatus(page)).toHaveText(/^Offline: 3 changes not saved yet/)
    await expect(todoTexts(page)).toHaveText(['Pay rent', 'Buy stamps'])
    await expect(todoRow(page, 'Pay rent').getByRole('checkbox')).toHaveAttribute('aria-checked', 'true')
    await expect(page.getByText('1 item left')).toBeVisible()
    // Still offline: nothing reached the server.
    expect(await savedCounts(signedIn.id)).toEqual({ 'Pay rent': 1, 'Call mum': 1 })

    // Both tabs see "online" at once; the lock and the receipts keep each change to one.
    await context.setOffline(false)
    await expect.poll(() => savedCounts(signedIn.id)).toEqual({ 'Pay rent': 1, 'Buy stamps': 1 })
    await expect(unsentStatus(page)).toHaveText('')
    await expect(todoTexts(page)).toHaveText(['Pay rent', 'Buy stamps'])
    await expect(todoRow(page, 'Pay rent').getByRole('checkbox')).toHaveAttribute('aria-checked', 'true')
    const [done] = await database().execute<RowDataPacket[]>('SELECT is_done FROM todo WHERE user_id = ? AND contents = ?', [
      signedIn.id,
      'Pay rent',
    ])
    expect(Boolean(done[0]?.is_done)).toBe(true)
    // The other tab catches up with what this one sent.
    await other.reload()
    await expect(todoTexts(other)).toHaveText(['Pay rent', 'Buy stamps'])
  })

  test('a change is answered with its list alone, which brings what only the server knows, without a page render', async ({ page, signedIn }) => {
    // 51 todos: the page shows the first 50 (TODO_PAGE_SIZE), the 51st waits on page 2.
    await seedTodos(signedIn, Array.from({ length: 51 }, (_, i) => ({ contents: `todo ${i + 1}` })))
    await page.reload()
    await outboxReady(page)
    await expect(todoItems(page)).toHaveCount(50)
    const pageLoads: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === '/todos') pageLoads.push(request.url())
    })
    // The answer is read in Node on its way to the page (route.fetch): the browser's copy of a
    // streamed action answer can be gone by the time the test asks for it.
    const answers: string[] = []
    await page.route(
      (url) => url.pathname === '/todos',
      async (route) => {
        if (route.request().headers()['next-action'] === undefined) return route.continue()
        const response = await route.fetch()
        answers.push(await response.text())
        await route.fulfill({ response })
      },
    )
    await todoRow(page, 'todo 1').getByRole('button', { name: 'Delete “todo 1”' }).click()
    await expect.poll(() => answers.length, 'the delete was answered').toBe(1)
    const [answer] = answers as [string]
    // The answer is the list (the server's page 1 now ends with the todo from page 2) ...
    expect(answer).toContain('"answer":{"list":')
    expect(answer).toContain('"contents":"todo 51"')
    // ... and not a render of the page: no layout, no header, none of the page's messages.
    expect(answer).not.toContain('What needs to be done?')
    await expect(todoRow(page, 'todo 51')).toHaveCount(1)
    await expect(todoItems(page)).toHaveCount(50)
    await expect(todoRow(page, 'todo 1')).toHaveCount(0)
    // Undo: the server's list has it back at the top, and the 51st goes back to page 2.
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect(todoRow(page, 'todo 1')).toHaveCount(1)
    await expect(todoRow(page, 'todo 51')).toHaveCount(0)
    await expect(unsentStatus(page)).toHaveText('')
    // A change from elsewhere (the API) is rendered anew, once: the live stream's word of the
    // page's own two changes asked for no render, since their answers were as new.
    await seedTodos(signedIn, [{ contents: 'from another device' }])
    await expect(page.getByText('52 items left')).toBeVisible()
    expect(pageLoads).toHaveLength(1)
  })
})
