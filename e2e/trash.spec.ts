import type { Page } from '@playwright/test'
import { expect, reloadWhenSaved, seedTodos, test, todoItems, todoTexts } from './fixtures'

// Deleting moves a todo to the trash and offers Undo for about ten seconds; the Trash page lists
// what was deleted, puts it back, or deletes it for good (after a second step).

const notice = (page: Page) => page.locator('.undo-notice')

test.describe('undo with JavaScript', () => {
  test('a delete offers Undo, which puts the todo back in its place', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'One' }, { contents: 'Two' }, { contents: 'Three' }])
    await page.reload()
    await todoItems(page).filter({ hasText: 'Two' }).getByRole('button', { name: 'Delete' }).click()
    await expect(todoTexts(page)).toHaveText(['One', 'Three'])
    const status = page.getByRole('status').filter({ hasText: 'Deleted “Two”' })
    await expect(status).toBeVisible()
    await expect(page).toHaveURL(/\/todos$/) // the script's path keeps the address

    // By keyboard: Undo is the next thing after the list's own controls, reachable with Tab.
    await status.getByRole('button', { name: 'Undo' }).focus()
    await page.keyboard.press('Enter')
    await expect(todoTexts(page)).toHaveText(['One', 'Two', 'Three'])
    await expect(notice(page)).toHaveCount(0)
    await expect(page.getByText('3 items left')).toBeVisible()
    await reloadWhenSaved(page)
    await expect(todoTexts(page)).toHaveText(['One', 'Two', 'Three'])
  })

  test('clear completed offers Undo for all of them; the notice goes after about ten seconds', async ({ page, signedIn }) => {
    test.setTimeout(60_000) // it waits out the notice's ten seconds
    await seedTodos(signedIn, [{ contents: 'a', isDone: true }, { contents: 'b' }, { contents: 'c', isDone: true }])
    await page.reload()
    await page.getByRole('button', { name: 'Clear completed' }).click()
    await expect(todoTexts(page)).toHaveText(['b'])
    await expect(notice(page)).toHaveText(/Deleted 2 todos/)
    await notice(page).getByRole('button', { name: 'Undo' }).click()
    await expect(todoTexts(page)).toHaveText(['a', 'b', 'c'])

    await todoItems(page).filter({ hasText: 'b' }).getByRole('button', { name: 'Delete' }).click()
    await expect(notice(page)).toHaveText(/Deleted “b”/)
    await page.mouse.move(0, 0) // not hovering it (which pauses it)
    await expect(notice(page)).toHaveCount(0, { timeout: 13_000 })
    await page.reload()
    await expect(todoTexts(page)).toHaveText(['a', 'c'])
  })

  test('the Trash page restores, deletes forever after confirming, and empties', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'keep' }, { contents: 'first gone' }, { contents: 'second gone' }, { contents: 'third gone' }])
    await page.reload()
    for (const text of ['first gone', 'second gone', 'third gone']) {
      await todoItems(page).filter({ hasText: text }).getByRole('button', { name: 'Delete' }).click()
      await expect(todoItems(page).filter({ hasText: text })).toHaveCount(0)
    }
    await expect(page.getByText('Saving…')).toHaveCount(0)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trash' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Trash' })).toBeVisible()
    const rows = page.getByRole('list', { name: 'Deleted todos' }).getByRole('listitem')
    await expect(rows.locator('.trash-text')).toHaveText(['third gone', 'second gone', 'first gone']) // newest first

    await page.getByRole('button', { name: 'Restore “second gone”' }).click()
    await expect(rows.locator('.trash-text')).toHaveText(['third gone', 'first gone'])

    await page.getByRole('link', { name: 'Delete forever: “first gone”' }).click()
    await expect(page.getByText('Delete “first gone” for good? This cannot be undone.')).toBeVisible()
    await page.getByRole('link', { name: 'Cancel' }).click()
    await expect(rows).toHaveCount(2)
    await page.getByRole('link', { name: 'Delete forever: “first gone”' }).click()
    await page.getByRole('button', { name: 'Yes, delete forever' }).click()
    await expect(rows.locator('.trash-text')).toHaveText(['third gone'])

    await page.getByRole('link', { name: 'Empty trash' }).click()
    await page.getByRole('button', { name: 'Yes, empty the trash' }).click()
    await expect(page.getByText('The trash is empty.')).toBeVisible()

    await page.getByRole('link', { name: '← Back to your todos' }).click()
    await expect(todoTexts(page)).toHaveText(['keep', 'second gone'])
  })
})

test.describe('undo without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a delete comes back to the same view with the notice; Undo restores', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'Alpha' }, { contents: 'Beta', isDone: true }, { contents: 'Gamma' }])
    await page.goto('/todos?filter=active')
    await todoItems(page).filter({ hasText: 'Alpha' }).getByRole('button', { name: 'Delete' }).click()
    await expect(page).toHaveURL(/\/todos\?filter=active&deleted=\d+$/)
    await expect(todoTexts(page)).toHaveText(['Gamma'])
    const status = page.getByRole('status').filter({ hasText: 'Deleted “Alpha”' })
    await expect(status).toBeVisible()
    await status.getByRole('button', { name: 'Undo' }).click()
    await expect(page).toHaveURL(/\/todos\?filter=active$/)
    await expect(todoTexts(page)).toHaveText(['Alpha', 'Gamma'])
    await expect(page.locator('.undo-notice')).toHaveCount(0)

    await page.goto('/todos')
    await page.getByRole('button', { name: 'Clear completed' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Deleted “Beta”' })).toBeVisible()
    await expect(todoTexts(page)).toHaveText(['Alpha', 'Gamma'])
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect(todoTexts(page)).toHaveText(['Alpha', 'Beta', 'Gamma'])
  })

  test('the Trash page works with plain forms and links', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'old news' }])
    await page.goto('/todos')
    await todoItems(page).getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('link', { name: 'Trash' }).last().click()
    await expect(page).toHaveURL(/\/trash$/)
    await page.getByRole('link', { name: 'Delete forever: “old news”' }).click()
    await page.getByRole('button', { name: 'Yes, delete forever' }).click()
    await expect(page.getByText('The trash is empty.')).toBeVisible()
  })
})
