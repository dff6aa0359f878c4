import { expect, seedTodos, signUpInPage, test, todoItems, todoTexts, uniqueUsername } from './fixtures'

// Plain HTML forms posting to server actions: the core flows work before (or without) JavaScript.
test.use({ javaScriptEnabled: false })

test('sign up, add, toggle, delete and log out without JavaScript', async ({ page }) => {
  const username = uniqueUsername('nojs')
  await signUpInPage(page, username)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${username}’s todos`)

  await page.getByLabel('What needs to be done?').fill('No script needed')
  await page.getByLabel('What needs to be done?').press('Enter')
  await expect(todoTexts(page)).toHaveText(['No script needed'])

  await page.getByRole('checkbox', { name: 'No script needed' }).click()
  await expect(page.getByRole('checkbox', { name: 'No script needed' })).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByText('0 items left')).toBeVisible()

  await todoItems(page).getByRole('button', { name: 'Delete' }).click()
  await expect(page.getByText('Nothing here yet')).toBeVisible()

  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page).toHaveURL(/\/login/)
})

test('log in without JavaScript, with the error message for a wrong password', async ({ page, account }) => {
  await page.goto('/login')
  await page.getByLabel('Username').fill(account.username)
  await page.getByLabel('Password').fill('wrong password')
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByText('Invalid username or password')).toBeVisible()

  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${account.username}’s todos`)
})

test('an empty todo gets its message without JavaScript, and nothing is saved', async ({ page, account }) => {
  await seedTodos(account, [{ contents: 'existing' }])
  await page.goto('/login')
  await page.getByLabel('Username').fill(account.username)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('button', { name: 'Add' }).click()
  await expect(page.getByText('Enter what needs to be done')).toBeVisible()
  await expect(todoTexts(page)).toHaveText(['existing'])
})
