import { expect, test, type APIRequestContext } from '@playwright/test'
import { createAccount, logIn, PASSWORD, seedTodos, type Account } from '../fixtures'
import { secret } from '../secrets'

async function apiToken(request: APIRequestContext, account: Account) {
  const response = await request.post('/api/users/log-in', { data: { username: account.username, password: account.password } })
  return { Authorization: `Bearer ${secret((await response.json()).access_token as string)}` }
}

test.describe('sessions that can end', () => {
  test('log-out ends the session on the server: a copy of the cookie no longer works', async ({ browser }) => {
    const account = await createAccount('logout')
    const context = await browser.newContext()
    const page = await context.newPage()
    await logIn(page, account)
    await expect(page).toHaveURL(/\/todos$/)
    const copied = await context.cookies()

    await page.getByRole('button', { name: 'Log out' }).click()
    await expect(page).toHaveURL(/\/login/)

    const thief = await browser.newContext()
    await thief.addCookies(copied)
    const stolen = await thief.newPage()
    await stolen.goto('/todos')
    await expect(stolen).toHaveURL(/\/login/)
  })

  test('"Log out everywhere" ends every browser session and API token', async ({ browser, request }) => {
    const account = await createAccount('everywhere')
    const [laptop, phone] = [await browser.newContext(), await browser.newContext()]
    const laptopPage = await laptop.newPage()
    const phonePage = await phone.newPage()
    await logIn(laptopPage, account)
    await logIn(phonePage, account)
    await expect(laptopPage).toHaveURL(/\/todos$/)
    await expect(phonePage).toHaveURL(/\/todos$/)
    const token = await apiToken(request, account)
    expect((await request.get('/api/todos', { headers: token })).status()).toBe(200)

    await laptopPage.goto('/account')
    await laptopPage.getByRole('button', { name: 'Log out everywhere' }).click()
    await expect(laptopPage).toHaveURL(/\/login\?ended=everywhere/)
    await expect(laptopPage.getByText('You are logged out on every device.')).toBeVisible()

    await phonePage.goto('/todos')
    await expect(phonePage).toHaveURL(/\/login/)
    expect((await request.get('/api/todos', { headers: token })).status()).toBe(401)

    // Logging in again works, with a fresh session.
    await logIn(phonePage, account)
    await expect(phonePage).toHaveURL(/\/todos$/)
  })

  test('changing the password needs the current one and ends every other session', async ({ browser, request }) => {
    const account = await createAccount('passwd')
    const [here, elsewhere] = [await browser.newContext(), await browser.newContext()]
    const page = await here.newPage()
    const otherPage = await elsewhere.newPage()
    await logIn(page, account)
    await logIn(otherPage, account)
    await expect(page).toHaveURL(/\/todos$/)
    await expect(otherPage).toHaveURL(/\/todos$/)
    const token = await apiToken(request, account)

    await page.goto('/account')
    await page.getByLabel('Current password').fill('not my password')
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase')
    await page.getByLabel('Confirm new password').fill('a brand new passphrase')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect(page.getByText('That is not your current password')).toBeVisible()

    await page.getByLabel('Current password').fill(PASSWORD)
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase')
    await page.getByLabel('Confirm new password').fill('a brand new passphrase')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect(page.getByText('Your password is changed.')).toBeVisible()

    // This browser goes on; the other one and the old token do not.
    await page.goto('/todos')
    await expect(page).toHaveURL(/\/todos$/)
    await otherPage.goto('/todos')
    await expect(otherPage).toHaveURL(/\/login/)
    expect((await request.get('/api/todos', { headers: token })).status()).toBe(401)
    const oldPassword = await request.post('/api/users/log-in', { data: { username: account.username, password: PASSWORD } })
    expect(oldPassword.status()).toBe(401)
  })

  test('deleting the account needs the password, deletes the todos and ends the session', async ({ page, request }) => {
    const account = await createAccount('delete')
    await seedTodos(account, [{ contents: 'soon gone' }])
    const token = await apiToken(request, account)
    await logIn(page, account)
    await expect(page).toHaveURL(/\/todos$/)
    await page.goto('/account')

    await page.getByLabel('Password', { exact: true }).fill('wrong password')
    await page.getByRole('button', { name: 'Delete my account' }).click()
    await expect(page.getByText('That is not your current password')).toBeVisible()
    expect((await request.get('/api/todos', { headers: token })).status()).toBe(200)

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Delete my account' }).click()
    await expect(page).toHaveURL(/\/login\?account=deleted/)
    await expect(page.getByText('Your account and all its todos were deleted.')).toBeVisible()

    expect((await request.get('/api/todos', { headers: token })).status()).toBe(401)
    await page.goto('/todos')
    await expect(page).toHaveURL(/\/login/)
    const again = await request.post('/api/users/log-in', { data: { username: account.username, password: PASSWORD } })
    expect(again.status()).toBe(401)
  })
})
