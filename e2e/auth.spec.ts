import { createAccount, expect, logIn, PASSWORD, signUpInPage, test, uniqueUsername } from './fixtures'

test.describe('sign-up', () => {
  test('a new user signs up and lands on their own, empty list', async ({ page }) => {
    const username = uniqueUsername('New')
    await signUpInPage(page, username)

    await expect(page).toHaveURL(/\/todos$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${username}’s todos`)
    await expect(page.getByText('Nothing here yet')).toBeVisible()
  })

  test('says what is wrong with each field and keeps the username', async ({ page }) => {
    await page.goto('/signup')
    await page.getByLabel('Username').fill('a!')
    await page.getByLabel('Password', { exact: true }).fill('short')
    await page.getByLabel('Confirm password').fill('different')
    await page.getByRole('button', { name: 'Sign up' }).click()

    await expect(page.getByText('Username must be at least 3 characters')).toBeVisible()
    await expect(page.getByText('Password must be at least 8 characters')).toBeVisible()
    await expect(page.getByText('Passwords do not match')).toBeVisible()
    await expect(page.getByLabel('Username')).toHaveValue('a!')
    await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true')
    // Passwords are never sent back to the page.
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('')
    await expect(page).toHaveURL(/\/signup$/)
  })

  test('refuses one of the most common passwords', async ({ page }) => {
    await page.goto('/signup')
    await page.getByLabel('Username').fill(uniqueUsername())
    await page.getByLabel('Password', { exact: true }).fill('iloveyou1')
    await page.getByLabel('Confirm password').fill('iloveyou1')
    await page.getByRole('button', { name: 'Sign up' }).click()
    await expect(page.getByText('This password is too common')).toBeVisible()
  })

  test('refuses a taken username, whatever its letter case', async ({ page }) => {
    const existing = await createAccount('Taken')
    await page.goto('/signup')
    await page.getByLabel('Username').fill(existing.username.toUpperCase())
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign up' }).click()
    await expect(page.getByText('That username is taken')).toBeVisible()
  })

  test('log-in and sign-up link to each other', async ({ page }) => {
    await page.goto('/login')
    await page.getByRole('link', { name: 'Create an account' }).click()
    await expect(page).toHaveURL(/\/signup$/)
    await page.getByRole('link', { name: 'Log in' }).click()
    await expect(page).toHaveURL(/\/login$/)
  })
})

test.describe('log-in', () => {
  test('one message for a wrong password and for an unknown user', async ({ page, account }) => {
    await logIn(page, { username: account.username, password: 'not the password' })
    await expect(page.getByRole('alert').filter({ hasText: 'Invalid username or password' })).toBeVisible()
    await expect(page.getByLabel('Username')).toHaveValue(account.username)

    await logIn(page, { username: uniqueUsername('nobody'), password: PASSWORD })
    await expect(page.getByRole('alert').filter({ hasText: 'Invalid username or password' })).toBeVisible()
  })

  test('returns to the page that asked for log-in', async ({ page, account }) => {
    await page.goto('/todos?filter=completed')
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Ftodos%3Ffilter%3Dcompleted$/)
    await page.getByLabel('Username').fill(account.username)
    await page.getByLabel('Password').fill(account.password)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page).toHaveURL(/\/todos\?filter=completed$/)
  })

  test('never redirects off-site after log-in', async ({ page, account }) => {
    await page.goto('/login?callbackUrl=https%3A%2F%2Fevil.example%2F')
    await page.getByLabel('Username').fill(account.username)
    await page.getByLabel('Password').fill(account.password)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page).toHaveURL(/localhost:\d+\/todos$/)
  })

  test('the session cookie is httpOnly, SameSite=Lax and Secure', async ({ page, context, signedIn }) => {
    expect(signedIn.username).toBeTruthy()
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name.includes('authjs.session-token'))
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true })
    expect(session?.name.startsWith('__Secure-')).toBe(true)
    expect(await page.evaluate(() => document.cookie)).not.toContain('session-token')
  })
})

test.describe('log-out and protected pages', () => {
  test('log-out ends the session; the list then asks for log-in', async ({ page, signedIn }) => {
    await expect(page.getByText(`Signed in as ${signedIn.username}`)).toBeVisible()
    await page.getByRole('button', { name: 'Log out' }).click()
    await expect(page).toHaveURL(/\/login$/)
    await page.goto('/todos')
    await expect(page).toHaveURL(/\/login/)
  })

  test('log-out is on every signed-in page, the 404 page included', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await page.goto('/todos')
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible()
    await page.goto('/no-such-page')
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
    await page.getByRole('link', { name: 'Go to your todos' }).click()
    await expect(page).toHaveURL(/\/todos$/)
  })

  test('a forged session cookie is no session', async ({ page, context }) => {
    await context.addCookies([
      { name: '__Secure-authjs.session-token', value: 'forged', domain: 'localhost', path: '/', secure: true },
    ])
    await page.goto('/todos')
    await expect(page).toHaveURL(/\/login/)
  })
})
