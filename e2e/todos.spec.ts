import type { RowDataPacket } from 'mysql2'
import type { Locator } from '@playwright/test'
import {
  addTodo,
  createAccount,
  database,
  expect,
  logIn,
  newTodoInput,
  reloadWhenSaved,
  seedTodos,
  test,
  todoItems,
  todoRow,
} from './fixtures'

test.describe('the todo list', () => {
  test('adds todos with Enter, trimmed, oldest first, and keeps them across reloads', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await addTodo(page, '  Buy milk  ')
    await addTodo(page, '우유 사기 🥛')
    await expect(todoItems(page)).toHaveText(['Buy milk', '우유 사기 🥛'])
    await expect(newTodoInput(page)).toHaveValue('')
    await expect(page.getByText('2 items left')).toBeVisible()

    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(['Buy milk', '우유 사기 🥛'])
  })

  test('adds todos typed in quick succession without losing any', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    const texts = ['first', 'second', 'third', 'fourth', 'fifth']
    for (const text of texts) await addTodo(page, text) // no waiting between them
    await expect(todoItems(page)).toHaveText(texts)
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(texts)
  })

  test('refuses empty and over-long text with an inline message, keeping what was typed', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await addTodo(page, '   ')
    await expect(page.getByText('Enter what needs to be done')).toBeVisible()
    await expect(newTodoInput(page)).toHaveAttribute('aria-invalid', 'true')

    const tooLong = 'x'.repeat(257)
    await addTodo(page, tooLong)
    await expect(page.getByText('Keep it to 256 characters or fewer')).toBeVisible()
    await expect(newTodoInput(page)).toHaveValue(tooLong)
    await reloadWhenSaved(page)
    await expect(page.getByText('Nothing here yet')).toBeVisible()
  })

  test('shows markup as text, never as HTML', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    const text = `<img src=x onerror="document.title='pwned'"> '; DROP TABLE todo; --`
    await addTodo(page, text)
    await expect(todoItems(page)).toHaveText([text])
    await expect(page).not.toHaveTitle('pwned')
  })

  test('toggles a todo with its checkbox, labelled by its text', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'Walk the dog' }, { contents: 'Read a book' }])
    await page.reload()
    const checkbox = page.getByRole('checkbox', { name: 'Walk the dog' })
    await checkbox.check()
    await expect(checkbox).toBeChecked()
    await expect(page.getByText('1 item left')).toBeVisible()
    await reloadWhenSaved(page)
    await expect(page.getByRole('checkbox', { name: 'Walk the dog' })).toBeChecked()
    await page.getByRole('checkbox', { name: 'Walk the dog' }).uncheck()
    await expect(page.getByText('2 items left')).toBeVisible()
  })

  test('edits with the Edit button: the field takes focus, Enter saves', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'Draft' }])
    await page.reload()
    await todoItems(page).getByRole('button', { name: 'Edit' }).click()
    const field = page.getByRole('textbox', { name: 'Edit “Draft”' })
    await expect(field).toBeFocused()
    await field.fill('  Final  ')
    await field.press('Enter')
    await expect(todoItems(page)).toHaveText(['Final'])
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(['Final'])
  })

  test('double-click edits; Escape cancels; leaving the field saves', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'Original' }])
    await page.reload()
    await page.getByText('Original').dblclick()
    const field = page.getByRole('textbox', { name: 'Edit “Original”' })
    await field.fill('Discarded')
    await field.press('Escape')
    await expect(todoItems(page)).toHaveText(['Original'])

    await page.getByText('Original').dblclick()
    await page.getByRole('textbox', { name: 'Edit “Original”' }).fill('Saved on blur')
    await newTodoInput(page).click()
    await expect(todoItems(page)).toHaveText(['Saved on blur'])
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(['Saved on blur'])
  })

  test('saving an edit empty deletes the todo, with Undo; an over-long edit is refused', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'Keep me' }, { contents: 'Remove me' }])
    await page.reload()
    await page.getByText('Keep me').dblclick()
    const keep = page.getByRole('textbox', { name: 'Edit “Keep me”' })
    await keep.fill('y'.repeat(300))
    await keep.press('Enter')
    await expect(page.getByText('Keep it to 256 characters or fewer')).toBeVisible()
    await keep.press('Escape')

    await page.getByText('Remove me').dblclick()
    await page.getByRole('textbox', { name: 'Edit “Remove me”' }).fill('   ')
    await page.getByRole('textbox', { name: 'Edit “Remove me”' }).press('Enter')
    await expect(todoItems(page)).toHaveText(['Keep me'])
    // Emptied is deleted, into the trash, with the same Undo as the Delete button.
    const undo = page.getByRole('status').filter({ hasText: 'Deleted “Remove me”' })
    await expect(undo).toBeVisible()
    await undo.getByRole('button', { name: 'Undo' }).click()
    await expect(todoItems(page)).toHaveText(['Keep me', 'Remove me'])
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(['Keep me', 'Remove me'])
  })

  test('deletes with the Delete button', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'One' }, { contents: 'Two' }])
    await page.reload()
    await todoRow(page, 'One').getByRole('button', { name: 'Delete' }).click()
    await expect(todoItems(page)).toHaveText(['Two'])
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(['Two'])
  })

  test('marks all as complete, then clears completed', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'a' }, { contents: 'b', isDone: true }, { contents: 'c' }])
    await page.reload()
    const markAll = page.getByRole('checkbox', { name: 'Mark all as complete' })
    await expect(markAll).not.toBeChecked()
    await markAll.check()
    await expect(page.getByText('0 items left')).toBeVisible()
    for (const name of ['a', 'b', 'c']) await expect(page.getByRole('checkbox', { name, exact: true })).toBeChecked()
    await markAll.uncheck()
    await expect(page.getByText('3 items left')).toBeVisible()

    await page.getByRole('checkbox', { name: 'a', exact: true }).check()
    await page.getByRole('button', { name: 'Clear completed' }).click()
    await expect(todoItems(page)).toHaveText(['b', 'c'])
    await expect(page.getByRole('button', { name: 'Clear completed' })).toHaveCount(0)
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(['b', 'c'])
  })

  test('filters All / Active / Completed survive a reload', async ({ page, signedIn }) => {
    await seedTodos(signedIn, [{ contents: 'open' }, { contents: 'done', isDone: true }])
    await page.reload()
    await page.getByRole('link', { name: 'Active' }).click()
    await expect(page).toHaveURL(/filter=active/)
    await expect(todoItems(page)).toHaveText(['open'])
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(['open'])
    await expect(page.getByRole('link', { name: 'Active' })).toHaveAttribute('aria-current', 'page')

    // Completing an item while viewing Active takes it off the list.
    await page.getByRole('checkbox', { name: 'open' }).click()
    await expect(page.getByText('Nothing left to do')).toBeVisible()

    await page.getByRole('link', { name: 'Completed' }).click()
    await expect(todoItems(page)).toHaveText(['open', 'done'])
    await page.getByRole('link', { name: 'All' }).click()
    await expect(page).toHaveURL(/\/todos$/)
  })

  test('pages a long list, counting every page', async ({ page, signedIn }) => {
    await seedTodos(
      signedIn,
      Array.from({ length: 60 }, (_, i) => ({ contents: `item ${String(i + 1).padStart(2, '0')}` })),
    )
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveCount(50)
    await expect(page.getByText('60 items left')).toBeVisible()
    await expect(page.getByText('Page 1 of 2')).toBeVisible()
    await page.getByRole('link', { name: 'Next' }).click()
    await expect(page).toHaveURL(/page=2/)
    await expect(todoItems(page)).toHaveCount(10)
    await expect(todoItems(page).first()).toHaveText('item 51')
  })

  test('is keyboard-usable: add, toggle and delete without a mouse', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await expect(newTodoInput(page)).toBeFocused()
    await page.keyboard.type('Typed only')
    await page.keyboard.press('Enter')
    await expect(todoItems(page)).toHaveText(['Typed only'])
    await page.getByRole('checkbox', { name: 'Typed only' }).focus()
    await page.keyboard.press('Space')
    await expect(page.getByRole('checkbox', { name: 'Typed only' })).toBeChecked()
    await todoItems(page).getByRole('button', { name: 'Delete' }).focus()
    await page.keyboard.press('Enter')
    await expect(todoItems(page)).toHaveCount(0)
  })
})

test.describe('privacy between users', () => {
  test('a second user sees none of the first user’s todos', async ({ browser }) => {
    const alice = await createAccount('alice')
    const bob = await createAccount('bob')
    await seedTodos(alice, [{ contents: 'alice’s private plan' }])

    const bobPage = await (await browser.newContext()).newPage()
    await logIn(bobPage, bob)
    await expect(bobPage).toHaveURL(/\/todos$/)
    await expect(bobPage.getByRole('heading', { level: 1 })).toHaveText(`${bob.username}’s todos`)
    await expect(bobPage.getByText('alice’s private plan')).toHaveCount(0)
    await expect(bobPage.getByText('Nothing here yet')).toBeVisible()
  })

  test('forged form posts cannot touch another user’s todo', async ({ page, signedIn }) => {
    const victim = await createAccount('victim')
    await seedTodos(victim, [{ contents: 'victim’s todo' }])
    const [rows] = await database().query<RowDataPacket[]>('SELECT id FROM todo WHERE user_id = ?', [victim.id])
    const victimTodoId = String(rows[0]?.id)

    // The attacker's own page has the same forms: aim them at the victim's todo id. Wait for
    // hydration first (the Edit button appears then), which would otherwise restore the real ids.
    await seedTodos(signedIn, [{ contents: 'mine' }])
    await page.reload()
    await expect(todoItems(page).getByRole('button', { name: 'Edit' })).toBeVisible()
    // Forged and submitted in one task: a re-render in between (the action's answer, a live
    // refresh) would put the real id back into the controlled hidden field.
    const forgeAndPress = (button: Locator) =>
      button.evaluate((element, id) => {
        const form = (element as HTMLButtonElement).form!
        for (const input of form.querySelectorAll<HTMLInputElement>('input[type=hidden][name=id]')) input.value = id
        ;(element as HTMLButtonElement).click()
      }, victimTodoId)

    await forgeAndPress(page.getByRole('checkbox', { name: 'mine' }))
    await expect(page.getByRole('checkbox', { name: 'mine' })).not.toBeChecked() // the server said no
    await forgeAndPress(todoItems(page).getByRole('button', { name: 'Delete' }))
    await reloadWhenSaved(page)
    await expect(todoItems(page)).toHaveText(['mine'])
    await expect(page.getByRole('checkbox', { name: 'mine' })).not.toBeChecked()

    const [after] = await database().query<RowDataPacket[]>('SELECT contents, is_done FROM todo WHERE id = ?', [
      victimTodoId,
    ])
    expect(after).toEqual([{ contents: 'victim’s todo', is_done: 0 }])
  })
})
