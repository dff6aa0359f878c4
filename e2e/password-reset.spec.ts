import type { Browser, Page } from '@playwright/test'
import { serverEnv } from '../playwright.config'
import {
  createAccount,
  database,
  expect,
  logIn,
  mailTo,
  PASSWORD,
  PASSWORD_CHANGED_SUBJECT,
  RESET_SUBJECT,
  RESET_SUBJECT_KO,
  resetLinkIn,
  test,
  uniqueEmail,
  verifiedAccount,
} from './fixtures'
import { secret } from './secrets'

// Forgot password → email → link → new password → signed in, against the production build and
// the real SMTP sink; with and without JavaScript, in English and Korean.

const NEW_PASSWORD = secret('a brand new kettle')
const SENT_EN = /^If an account has this verified email address, we sent a link to it\. It works for 30 minutes\./
const SENT_KO = /^이 주소로 인증된 계정이 있다면 링크를 보내 드렸습니다\. 링크는 30분 동안 유효합니다\./

/** A second browser, logged in to the account: its session must end when the password is reset. */
async function otherDevice(browser: Browser, account: { username: string; password: string }, locale = 'en-US') {
  const context = await browser.newContext({ locale })
  const page = await context.newPage()
  await logIn(page, account)
  await expect(page).toHaveURL(/\/todos$/)
  return { context, page }
}

async function askForLink(page: Page, email: string, labels = { email: 'Email', submit: 'Email me a link' }) {
  await page.getByLabel(labels.email).fill(email)
  await page.getByRole('button', { name: labels.submit }).click()
}

test.describe('password reset by email', () => {
  test('forgot → email → link → new password → signed in; other sessions end, the old password is refused', async ({
    page,
    browser,
  }) => {
    const account = await verifiedAccount('reset')
    const elsewhere = await otherDevice(browser, account)

    await page.goto('/login')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await expect(page).toHaveURL(/\/forgot-password$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset your password')
    await askForLink(page, account.email.toUpperCase()) // addresses compare in lower case
    await expect(page.getByRole('status').filter({ hasText: SENT_EN })).toBeVisible()
    await expect(page.getByLabel('Email')).toHaveValue(account.email)

    const [mail] = await mailTo(account.email, 1, RESET_SUBJECT)
    const { link, path } = resetLinkIn(mail)
    expect(link.startsWith(`${serverEnv.APP_URL}/reset-password?token=`)).toBe(true)
    expect(mail?.text).toContain(`Your username is ${account.username}.`)

    await page.goto(path)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password')
    await expect(page.getByText(account.username)).toBeVisible()
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Save and log in' }).click()
    await expect(page).toHaveURL(/\/todos$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${account.username}’s todos`)

    // The other device's session ended with the reset.
    await elsewhere.page.reload()
    await expect(elsewhere.page).toHaveURL(/\/login/)
    // The owner is told.
    const notices = await mailTo(account.email, 1, PASSWORD_CHANGED_SUBJECT)
    expect(notices[0]?.text).toContain(`${serverEnv.APP_URL}/forgot-password`)

    // The old password no longer works; the new one does.
    await logIn(elsewhere.page, account)
    await expect(elsewhere.page.getByText('Invalid username or password')).toBeVisible()
    await logIn(elsewhere.page, { username: account.username, password: NEW_PASSWORD })
    await expect(elsewhere.page).toHaveURL(/\/todos$/)

    // The link is used up.
    await elsewhere.page.goto(path)
    await expect(elsewhere.page.getByRole('heading', { level: 1 })).toHaveText('This link does not work')
    await elsewhere.page.getByRole('link', { name: 'Ask for a new link' }).click()
    await expect(elsewhere.page).toHaveURL(/\/forgot-password$/)
    await elsewhere.context.close()
  })

  test('in Korean: the pages, the email and the notice', async ({ browser }) => {
    const account = await verifiedAccount('resetko')
    const elsewhere = await otherDevice(browser, account, 'ko-KR')
    const context = await browser.newContext({ locale: 'ko-KR' })
    const page = await context.newPage()

    await page.goto('/login')
    await page.getByRole('link', { name: '비밀번호를 잊으셨나요?' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('비밀번호 재설정')
    await askForLink(page, account.email, { email: '이메일', submit: '링크 받기' })
    await expect(page.getByRole('status').filter({ hasText: SENT_KO })).toBeVisible()

    // The account never chose a language: the email is in the one the page was in.
    const [mail] = await mailTo(account.email, 1, RESET_SUBJECT_KO)
    expect(mail?.text).toContain(`사용자 이름은 ${account.username}입니다.`)
    await page.goto(resetLinkIn(mail).path)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('새 비밀번호 정하기')
    await page.getByLabel('새 비밀번호', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('새 비밀번호 확인').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: '저장하고 로그인' }).click()
    await expect(page).toHaveURL(/\/todos$/)
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko')

    await elsewhere.page.reload()
    await expect(elsewhere.page).toHaveURL(/\/login/)
    await logIn(elsewhere.page, account)
    await expect(elsewhere.page.getByText('사용자 이름 또는 비밀번호가 올바르지 않습니다')).toBeVisible()
    const [notice] = await mailTo(account.email, 1, 'Todos 비밀번호가 변경되었습니다')
    expect(notice?.text).toContain('모든 기기에서 로그아웃되었습니다')
    await Promise.all([context.close(), elsewhere.context.close()])
  })

  test('the same answer for a verified address, an unknown one and an unverified one', async ({ page }) => {
    const known = await verifiedAccount('known')
    const unverified = await createAccount('unverified')
    const unverifiedEmail = uniqueEmail('unverified')
    await database().execute('UPDATE `user` SET email = ? WHERE id = ?', [unverifiedEmail, unverified.id])
    const answers: string[] = []
    for (const email of [known.email, uniqueEmail('nobody'), unverifiedEmail]) {
      await page.goto('/forgot-password')
      await askForLink(page, email)
      const status = page.getByRole('status').filter({ hasText: SENT_EN })
      await expect(status).toBeVisible()
      answers.push((await page.locator('.auth-card').innerHTML()).replace(email, '<email>'))
    }
    expect(answers[1]).toBe(answers[0])
    expect(answers[2]).toBe(answers[0])
    expect(await mailTo(known.email, 1, RESET_SUBJECT)).toHaveLength(1)
    expect(await mailTo(unverifiedEmail, 1, undefined, 1_000)).toEqual([])
  })

  test('mistakes get messages beside their fields, and keep what was typed', async ({ page }) => {
    await page.goto('/forgot-password')
    await askForLink(page, 'not an address')
    await expect(page.getByText('Enter a valid email address')).toBeVisible()
    await expect(page.getByLabel('Email')).toHaveValue('not an address')
    await expect(page.getByRole('status').filter({ hasText: SENT_EN })).toHaveCount(0)

    const account = await verifiedAccount('mistakes')
    await page.goto('/forgot-password')
    await askForLink(page, account.email)
    const { path } = resetLinkIn((await mailTo(account.email, 1, RESET_SUBJECT))[0])
    await page.goto(path)
    await page.getByLabel('New password', { exact: true }).fill('short')
    await page.getByLabel('Confirm new password').fill('shorter')
    await page.getByRole('button', { name: 'Save and log in' }).click()
    await expect(page.getByText('Password must be at least 8 characters')).toBeVisible()
    await expect(page.getByText('Passwords do not match')).toBeVisible()
    await page.getByLabel('New password', { exact: true }).fill('password123')
    await page.getByLabel('Confirm new password').fill('password123')
    await page.getByRole('button', { name: 'Save and log in' }).click()
    await expect(page.getByText(/too common/)).toBeVisible()
    // Nothing was used up by the mistakes.
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Save and log in' }).click()
    await expect(page).toHaveURL(/\/todos$/)
  })

  test('an unknown or superseded link says so, with the way to a new one', async ({ page }) => {
    await page.goto('/reset-password?token=not-a-real-token')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not work')
    await expect(page.getByRole('alert').filter({ hasText: /only the newest one works/ })).toBeVisible()
    await page.goto('/reset-password')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not work')

    const account = await verifiedAccount('superseded')
    await page.goto('/forgot-password')
    await askForLink(page, account.email)
    const first = resetLinkIn((await mailTo(account.email, 1, RESET_SUBJECT))[0])
    await askForLink(page, account.email)
    const second = resetLinkIn((await mailTo(account.email, 2, RESET_SUBJECT))[1])
    expect(second.token).not.toBe(first.token)
    await page.goto(first.path)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not work')
    await page.goto(second.path)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password')
  })

  test('a link used in another tab meanwhile: the form says so when sent', async ({ page, browser }) => {
    const account = await verifiedAccount('twotabs')
    await page.goto('/forgot-password')
    await askForLink(page, account.email)
    const { path } = resetLinkIn((await mailTo(account.email, 1, RESET_SUBJECT))[0])
    await page.goto(path)
    const other = await browser.newContext()
    const otherPage = await other.newPage()
    await otherPage.goto(path)
    await otherPage.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await otherPage.getByLabel('Confirm new password').fill(NEW_PASSWORD)
    await otherPage.getByRole('button', { name: 'Save and log in' }).click()
    await expect(otherPage).toHaveURL(/\/todos$/)

    await page.getByLabel('New password', { exact: true }).fill('another new kettle')
    await page.getByLabel('Confirm new password').fill('another new kettle')
    await page.getByRole('button', { name: 'Save and log in' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not work')
    await other.close()
  })
})

test('a forged token in the form is refused quietly: the dead-link page, never an error', async ({ page }) => {
  const account = await verifiedAccount('forged')
  await page.goto('/forgot-password')
  await askForLink(page, account.email)
  const { path } = resetLinkIn((await mailTo(account.email, 1, RESET_SUBJECT))[0])
  for (const forged of ['', 'x'.repeat(10_000), '\u0000🙂\ud800', `${resetLinkIn((await mailTo(account.email))[0]).token}x`]) {
    await page.goto(path)
    await page.locator('input[name="token"]').evaluate((input, value) => ((input as HTMLInputElement).value = value), forged)
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Save and log in' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not work')
  }
  // The real token was never touched.
  await page.goto(path)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('forgot → email → link → new password → signed in, with plain form posts', async ({ page }) => {
    const account = await verifiedAccount('nojsreset')
    await page.goto('/login')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await askForLink(page, 'not an address')
    await expect(page.getByText('Enter a valid email address')).toBeVisible()
    await askForLink(page, account.email)
    await expect(page.getByRole('status').filter({ hasText: SENT_EN })).toBeVisible()

    const { path } = resetLinkIn((await mailTo(account.email, 1, RESET_SUBJECT))[0])
    await page.goto(path)
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Confirm new password').fill('something else entirely')
    await page.getByRole('button', { name: 'Save and log in' }).click()
    await expect(page.getByText('Passwords do not match')).toBeVisible()
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Save and log in' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${account.username}’s todos`)

    await page.goto(path)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not work')
    await page.goto('/todos')
    await page.getByRole('button', { name: 'Log out' }).click()
    await expect(page).toHaveURL(/\/login/)
    await logIn(page, { username: account.username, password: PASSWORD })
    await expect(page.getByText('Invalid username or password')).toBeVisible()
  })
})
