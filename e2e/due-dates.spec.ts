import type { Browser, Page } from '@playwright/test'
import type { RowDataPacket } from 'mysql2'
import { expectVisibleFocus, tabTo } from './a11y'
import { accountWithDueTodos, localTime, middayZone } from './due-fixtures'
import { database, expect, logIn, signUpInPage, test, todoItems, uniqueUsername, type Account } from './fixtures'

/** The `<input type="date">` value of the day `days` from today in a zone `offset` hours east of UTC. */
function localDate(offset: number, days: number): string {
  return localTime(offset, days, 12).toISOString().slice(0, 10)
}

// Due dates, reminders and repeats in the list page, with and without JavaScript. The viewer's
// zone is one where it is about noon now, so that "later today" and "earlier today" never cross
// a midnight while a test runs.

async function savedTodo(account: Account, contents: string) {
  const [rows] = await database().execute<RowDataPacket[]>(
    "SELECT DATE_FORMAT(due_at, '%Y-%m-%dT%H:%i:%sZ') AS dueAt, DATE_FORMAT(remind_at, '%Y-%m-%dT%H:%i:%sZ') AS remindAt, `repeat` FROM todo WHERE user_id = ? AND contents = ?",
    [account.id, contents],
  )
  return rows[0] as { dueAt: string | null; remindAt: string | null; repeat: string | null }
}

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z')

async function signedInContext(browser: Browser, account: Account, options: { zone: string; javaScriptEnabled?: boolean; locale?: string }) {
  const context = await browser.newContext({
    timezoneId: options.zone,
    locale: options.locale ?? 'en-US',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  })
  const page = await context.newPage()
  await logIn(page, account)
  await expect(page).toHaveURL(/\/todos$/)
  return { context, page }
}

const detailsToggle = (page: Page, contents: string) => page.getByLabel(`Due date, reminder and repeat of “${contents}”`)

test('sets a due date, a reminder and a repeat in the details editor, and the row shows them', async ({ browser }) => {
  const { zone, offset } = middayZone()
  const account = await accountWithDueTodos(zone, [{ contents: 'Call the bank' }])
  const { context, page } = await signedInContext(browser, account, { zone })

  await detailsToggle(page, 'Call the bank').click()
  await page.getByLabel('Due date', { exact: true }).fill(localDate(offset, 1))
  await page.getByLabel('Time', { exact: true }).fill('09:00')
  await page.getByLabel('Reminder', { exact: true }).selectOption('10m')
  await page.getByLabel('Repeat', { exact: true }).selectOption('weekly')
  await expect(page.getByLabel('On', { exact: true })).toBeVisible()
  await page.getByLabel('On', { exact: true }).selectOption('MO')
  // Reminders need a verified email: the editor says so, and links to the account page.
  await expect(page.getByRole('link', { name: 'Verify one on your account page' }).first()).toHaveAttribute('href', '/account')
  await page.getByRole('button', { name: 'Save details' }).click()

  const row = todoItems(page).filter({ hasText: 'Call the bank' })
  await expect(row.locator('time')).toHaveText('Tomorrow')
  await expect(row.getByRole('img', { name: /^Reminder / })).toBeVisible()
  await expect(row.getByRole('img', { name: 'Repeats every Monday' })).toBeVisible()
  // The editor closed, and the focus went back to its toggle.
  await expect(detailsToggle(page, 'Call the bank')).toBeFocused()
  await expect(page.getByText('Saving…')).toHaveCount(0)

  const due = localTime(offset, 1, 9)
  expect(await savedTodo(account, 'Call the bank')).toEqual({
    dueAt: iso(due),
    remindAt: iso(new Date(due.getTime() - 10 * 60_000)),
    repeat: 'FREQ=WEEKLY;BYDAY=MO',
  })
  // The notice at the top of the list says the same.
  await expect(page.locator('.todo-notice')).toContainText('Reminders are sent by email, so they need a verified address.')

  await page.reload()
  await expect(todoItems(page).filter({ hasText: 'Call the bank' }).locator('time')).toHaveText('Tomorrow')
  await detailsToggle(page, 'Call the bank').click()
  await expect(page.getByLabel('Due date', { exact: true })).toHaveValue(localDate(offset, 1))
  await expect(page.getByLabel('Reminder', { exact: true })).toHaveValue('10m')
  // Clearing the date (and with it the reminder and repeat) clears them all.
  await page.getByLabel('Due date', { exact: true }).fill('')
  await page.getByLabel('Time', { exact: true }).fill('')
  await page.getByLabel('Reminder', { exact: true }).selectOption('none')
  await page.getByLabel('Repeat', { exact: true }).selectOption('none')
  await page.getByRole('button', { name: 'Save details' }).click()
  await expect(todoItems(page).locator('time')).toHaveCount(0)
  await expect.poll(() => savedTodo(account, 'Call the bank')).toEqual({ dueAt: null, remindAt: null, repeat: null })
  await context.close()
})

test('the details editor works without JavaScript: errors beside their fields, values kept', async ({ browser }) => {
  const { zone, offset } = middayZone()
  const account = await accountWithDueTodos(zone, [{ contents: 'Pay rent' }])
  const { context, page } = await signedInContext(browser, account, { zone, javaScriptEnabled: false })

  // Without script the toggle is a link: the server renders this row's editor open, and only it.
  await detailsToggle(page, 'Pay rent').click()
  await expect(page).toHaveURL(/[?&]details=\d+#todo-\d+-details$/)
  await expect(page.locator('form.todo-details-form')).toHaveCount(1)
  // Every field is there without script, the ones for "a date and time" and "every N days" too.
  await page.getByLabel('Reminder', { exact: true }).selectOption('1h')
  await page.getByLabel('Repeat', { exact: true }).selectOption('interval')
  await page.getByLabel('Every how many days').fill('3')
  await page.getByRole('button', { name: 'Save details' }).click()

  const reminder = page.getByLabel('Reminder', { exact: true })
  await expect(reminder).toHaveAttribute('aria-invalid', 'true')
  const errorId = (await reminder.getAttribute('aria-describedby'))?.split(' ')[0] ?? ''
  await expect(page.locator(`[id="${errorId}"]`)).toHaveText('Set a due date first')
  await expect(reminder).toHaveValue('1h')
  await expect(page.getByLabel('Every how many days')).toHaveValue('3')

  await page.getByLabel('Due date', { exact: true }).fill(localDate(offset, 0))
  await page.getByLabel('Time', { exact: true }).fill('18:00')
  await page.getByRole('button', { name: 'Save details' }).click()
  const row = todoItems(page).filter({ hasText: 'Pay rent' })
  await expect(row.locator('time')).toHaveText('Today 18:00')
  await expect(row.getByRole('img', { name: 'Repeats every 3 days' })).toBeVisible()
  const due = localTime(offset, 0, 18)
  expect(await savedTodo(account, 'Pay rent')).toEqual({
    dueAt: iso(due),
    remindAt: iso(new Date(due.getTime() - 3_600_000)),
    repeat: 'FREQ=DAILY;INTERVAL=3',
  })
  await context.close()
})

test('Today and Upcoming list what is due, by due time, with their own counters; overdue says so', async ({ browser }) => {
  const { zone, offset } = middayZone()
  const account = await accountWithDueTodos(zone, [
    { contents: 'later today', dueAt: localTime(offset, 0, 18) },
    { contents: 'in three days', dueAt: localTime(offset, 3, 9) },
    { contents: 'overdue', dueAt: localTime(offset, -1, 9) },
    { contents: 'in ten days', dueAt: localTime(offset, 10, 9) },
    { contents: 'no date' },
    { contents: 'done today', dueAt: localTime(offset, 0, 20), isDone: true },
  ])
  const { context, page } = await signedInContext(browser, account, { zone })
  await expect(page.getByText('5 items left')).toBeVisible()
  const overdue = todoItems(page).filter({ hasText: 'overdue' })
  await expect(overdue.locator('.todo-due-overdue')).toContainText('Overdue')
  await expect(overdue.locator('time')).toHaveText('Yesterday')

  await page.getByRole('link', { name: 'Today', exact: true }).click()
  await expect(page).toHaveURL(/view=today/)
  await expect(todoItems(page)).toHaveText([/^overdue/, /^later today/])
  await expect(page.getByText('2 due today or overdue')).toBeVisible()
  await expect(page.getByRole('link', { name: 'Today', exact: true })).toHaveAttribute('aria-current', 'page')

  await page.getByRole('checkbox', { name: 'overdue' }).click()
  await expect(todoItems(page)).toHaveText([/^later today/])
  await expect(page.getByText('1 due today or overdue')).toBeVisible()

  await page.getByRole('link', { name: 'Upcoming' }).click()
  await expect(page).toHaveURL(/view=upcoming/)
  await expect(todoItems(page)).toHaveText([/^later today/, /^in three days/])
  await expect(page.getByText('2 due in the next 7 days')).toBeVisible()
  await page.reload()
  await expect(todoItems(page)).toHaveText([/^later today/, /^in three days/])
  await context.close()
})

test('in Korean: the compact dates and the editor', async ({ browser }) => {
  const { zone, offset } = middayZone()
  const account = await accountWithDueTodos(zone, [
    { contents: 'later today', dueAt: localTime(offset, 0, 18), remindAt: localTime(offset, 0, 17) },
    { contents: 'tomorrow', dueAt: localTime(offset, 1, 9), repeat: 'FREQ=DAILY' },
  ])
  const { context, page } = await signedInContext(browser, account, { zone, locale: 'ko-KR' })
  const items = page.getByRole('list', { name: '할 일' }).getByRole('listitem')
  await expect(items.filter({ hasText: 'later today' }).locator('time')).toHaveText('오늘 18:00')
  await expect(items.filter({ hasText: 'later today' }).getByRole('img', { name: /^알림 / })).toBeVisible()
  await expect(items.filter({ hasText: 'tomorrow' }).locator('time')).toHaveText('내일')
  await expect(items.filter({ hasText: 'tomorrow' }).getByRole('img', { name: '매일 반복' })).toBeVisible()
  await page.getByLabel('“tomorrow”의 기한, 알림, 반복').click()
  const editor = page.locator('.todo-details[open]')
  await expect(editor.getByLabel('기한 날짜')).toHaveValue(localDate(offset, 1))
  await expect(editor.getByLabel('반복', { exact: true })).toHaveValue('daily')
  await page.getByRole('link', { name: '오늘', exact: true }).click()
  await expect(page.getByText('오늘까지 할 일 1개')).toBeVisible()
  await context.close()
})

test('the keyboard opens the editor with Enter, edits, closes it with Escape, and Space opens it again', async ({ browser }) => {
  const { zone, offset } = middayZone()
  const account = await accountWithDueTodos(zone, [{ contents: 'Water the plants' }])
  const { context, page } = await signedInContext(browser, account, { zone })
  const toggle = detailsToggle(page, 'Water the plants')
  await tabTo(page, toggle)
  await page.keyboard.press('Enter')
  const date = page.getByLabel('Due date', { exact: true })
  await expect(date).toBeVisible()
  await page.keyboard.press('Tab')
  await expect(date).toBeFocused()
  await expectVisibleFocus(page)
  await page.keyboard.press('Escape')
  await expect(date).toBeHidden()
  await expect(toggle).toBeFocused()

  await page.keyboard.press('Space')
  await expect(date).toBeVisible()
  await page.keyboard.press('Tab')
  await expect(date).toBeFocused()
  await date.fill(localDate(offset, 2))
  await page.keyboard.press('Enter') // submits the form, as Enter in a field does
  await expect(todoItems(page).locator('time')).toBeVisible()
  await expect(toggle).toBeFocused()
  await context.close()
})

test('the account page saves a time zone; sign-up takes the browser’s', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Asia/Seoul' })
  const page = await context.newPage()
  const username = uniqueUsername('zone')
  await signUpInPage(page, username)
  await expect(page).toHaveURL(/\/todos$/)
  const zoneOf = async () => {
    const [rows] = await database().execute<RowDataPacket[]>('SELECT time_zone FROM `user` WHERE username = ?', [username])
    return rows[0]?.time_zone as string
  }
  expect(await zoneOf()).toBe('Asia/Seoul')

  await page.goto('/account')
  const select = page.getByLabel('Your time zone')
  await expect(select).toHaveValue('Asia/Seoul')
  await select.selectOption('America/New_York')
  await page.getByRole('button', { name: 'Save time zone' }).click()
  await expect(page.getByText('Times are now shown in America/New_York.')).toBeVisible()
  expect(await zoneOf()).toBe('America/New_York')
  await page.reload()
  await expect(page.getByLabel('Your time zone')).toHaveValue('America/New_York')
  await context.close()
})

test('without JavaScript, sign-up leaves the zone at UTC', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Asia/Seoul', javaScriptEnabled: false })
  const page = await context.newPage()
  const username = uniqueUsername('nozone')
  await signUpInPage(page, username)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${username}’s todos`)
  const [rows] = await database().execute<RowDataPacket[]>('SELECT time_zone FROM `user` WHERE username = ?', [username])
  expect(rows[0]?.time_zone).toBe('UTC')
  await context.close()
})
