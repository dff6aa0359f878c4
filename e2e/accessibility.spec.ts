import { expectNoAxeViolations, expectVisibleFocus, tabTo } from './a11y'
import { accountWithDueTodos, localTime, middayZone } from './due-fixtures'
import { createAccount, expect, logIn, PASSWORD, resetTokenFor, test, uniqueEmail, uniqueUsername } from './fixtures'

// Every page, in both languages and both themes, with axe's WCAG 2.1 A and AA rules. The dev
// mailbox exists only outside production builds, which this suite does not start (README).

const LANGUAGES = [
  { locale: 'en-US', lang: 'en', editLabel: 'Edit “Buy milk”', detailsLabel: 'Due date, reminder and repeat of “Buy milk”' },
  { locale: 'ko-KR', lang: 'ko', editLabel: '“Buy milk” 수정', detailsLabel: '“Buy milk”의 기한, 알림, 반복' },
] as const

for (const { locale, lang, editLabel, detailsLabel } of LANGUAGES) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`every page passes axe in ${lang}, ${colorScheme}`, async ({ browser }) => {
      // 45 s on two shared cores with the password-reset pages in, 80 s when the other cores' tenant
      // is busy: room for that.
      test.setTimeout(120_000)
      const context = await browser.newContext({ locale, colorScheme })
      const page = await context.newPage()
      const check = async (where: string) => {
        await expect(page.locator('html')).toHaveAttribute('lang', lang)
        await expectNoAxeViolations(page, `${where} (${lang}, ${colorScheme})`)
      }

      await page.goto('/login')
      await check('log-in')
      await page.getByRole('button', { name: /^(Log in|로그인)$/ }).click()
      await expect(page.locator('.field-error').first()).toBeVisible()
      await check('log-in with errors')
      await page.goto('/signup')
      await check('sign-up')

      // Password reset: the request with an error and once sent, a dead link, the form and its errors.
      await page.goto('/forgot-password')
      await check('forgot password')
      await page.getByRole('button', { name: /^(Email me a link|링크 받기)$/ }).click()
      await expect(page.locator('.field-error').first()).toBeVisible()
      await check('forgot password with errors')
      await page.getByLabel(/^(Email|이메일)$/).fill(uniqueEmail('axe'))
      await page.getByRole('button', { name: /^(Email me a link|링크 받기)$/ }).click()
      await expect(page.locator('.form-notice')).toBeVisible()
      await check('forgot password, sent')
      await page.goto('/reset-password?token=no-such-token')
      await check('reset password, a dead link')
      await page.goto(`/reset-password?token=${await resetTokenFor(await createAccount('axe'))}`)
      await check('reset password')
      await page.getByRole('button', { name: /^(Save and log in|저장하고 로그인)$/ }).click()
      await expect(page.locator('.field-error').first()).toBeVisible()
      await check('reset password with errors')

      // Due dates of every kind on the list: overdue with a reminder and a repeat, tomorrow, done.
      const { zone, offset } = middayZone()
      const account = await accountWithDueTodos(zone, [
        { contents: 'Buy milk', dueAt: localTime(offset, -1, 9), remindAt: localTime(offset, -1, 8), repeat: 'FREQ=WEEKLY;BYDAY=MO' },
        { contents: '우유 사기 🥛', isDone: true, dueAt: localTime(offset, 0, 18) },
        { contents: '牛乳を買う', dueAt: localTime(offset, 1, 9) },
      ])
      await logIn(page, account)
      await expect(page).toHaveURL(/\/todos$/)
      await check('the list')
      await page.getByRole('button', { name: editLabel }).click()
      await expect(page.getByRole('textbox', { name: editLabel })).toBeFocused()
      await check('the list with an open edit')
      await page.keyboard.press('Escape')
      await page.getByLabel(detailsLabel).click()
      await expect(page.locator('.todo-details[open] input[type="date"]').first()).toBeVisible()
      await check('the list with an open details editor')
      // A reminder and a repeat without a due date: errors beside both fields.
      await page.locator('.todo-details[open] input[type="date"]').first().fill('')
      await page.getByRole('button', { name: /^(Save details|상세 저장)$/ }).click()
      await expect(page.locator('.todo-details .field-error').first()).toBeVisible()
      await check('the details editor with errors')

      await page.goto('/todos?view=today')
      await check('the Today view')
      await page.goto('/todos?filter=completed')
      await check('the completed view')
      // The undo notice (as the page shows it after a delete without JavaScript) and the trash.
      await page.goto('/trash')
      await check('the empty trash')
      await page.goto('/todos')
      await page.locator('.todo-item').first().locator('.todo-delete-form button').click()
      await expect(page.locator('.undo-notice')).toBeVisible()
      await check('the list with the undo notice')
      await page.goto('/trash')
      await expect(page.locator('.trash-item')).toHaveCount(1)
      await check('the trash')
      await page.goto(`/trash?confirm=all`)
      await expect(page.locator('.trash-confirm')).toBeVisible()
      await check('the trash, confirming')
      await page.goto('/account')
      await check('account')
      await page.goto('/api-docs')
      await check('API docs')
      await page.goto('/no-such-page')
      await check('404')
      await context.close()
    })
  }
}

test('keyboard only: sign up, add, toggle, edit, delete, filter, switch language, log out', async ({ page }) => {
  test.setTimeout(60_000)
  await page.goto('/signup')
  const username = uniqueUsername('keys')
  await expect(page.getByLabel('Username')).toBeFocused()
  await expectVisibleFocus(page)
  await page.keyboard.type(username)
  await tabTo(page, page.getByLabel('Password', { exact: true }))
  await page.keyboard.type(PASSWORD)
  await tabTo(page, page.getByLabel('Confirm password'))
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/todos$/)

  // Add two todos: the field keeps the focus.
  const input = page.getByLabel('What needs to be done?')
  await expect(input).toBeFocused()
  await page.keyboard.type('Water the plants')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Call the bank')
  await page.keyboard.press('Enter')
  const items = page.getByRole('list', { name: 'Todos' }).getByRole('listitem')
  await expect(items).toHaveText(['Water the plants', 'Call the bank'])
  await expect(page.getByText('Saving…')).toHaveCount(0)

  // Toggle with Space.
  const firstToggle = page.getByRole('checkbox', { name: 'Water the plants' })
  await tabTo(page, firstToggle)
  await page.keyboard.press('Space')
  await expect(firstToggle).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByText('1 item left')).toBeVisible()

  // Edit with Enter on the pencil, save with Enter; the focus comes back to the pencil.
  const edit = page.getByRole('button', { name: 'Edit “Call the bank”' })
  await tabTo(page, edit)
  await page.keyboard.press('Enter')
  const field = page.getByRole('textbox', { name: 'Edit “Call the bank”' })
  await expect(field).toBeFocused()
  await expectVisibleFocus(page)
  await page.keyboard.press('End')
  await page.keyboard.type(' at nine')
  await page.keyboard.press('Enter')
  await expect(items).toHaveText(['Water the plants', 'Call the bank at nine'])
  await expect(page.getByRole('button', { name: 'Edit “Call the bank at nine”' })).toBeFocused()
  // Escape leaves an edit unchanged.
  await page.keyboard.press('Enter')
  await page.keyboard.type(' or ten')
  await page.keyboard.press('Escape')
  await expect(items).toHaveText(['Water the plants', 'Call the bank at nine'])

  // Delete with the keyboard; the focus goes to the new-todo field.
  await tabTo(page, page.getByRole('button', { name: 'Delete “Water the plants”' }), { backwards: true })
  await page.keyboard.press('Enter')
  await expect(items).toHaveText(['Call the bank at nine'])
  await expect(input).toBeFocused()
  await expect(page.getByText('Saving…')).toHaveCount(0)

  // Filter: follow the "Completed" link with Enter.
  await tabTo(page, page.getByRole('link', { name: 'Completed' }))
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/filter=completed/)
  await expect(page.getByText('No completed todos yet.')).toBeVisible()

  // Switch language: back up to the header's switcher with Shift+Tab.
  await tabTo(page, page.getByRole('button', { name: '한국어' }), { backwards: true, limit: 60 })
  await page.keyboard.press('Enter')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko')
  await expect(page).toHaveURL(/filter=completed/)
  await page.waitForLoadState('networkidle') // the page re-rendered in Korean: let it settle first

  // Log out.
  await tabTo(page, page.getByRole('button', { name: '로그아웃' }))
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/login$/)
  await expect(page.getByRole('heading', { name: '로그인' })).toBeVisible()
})
