import type { Page } from '@playwright/test'
import type { RowDataPacket } from 'mysql2'
import { randomBytes } from 'node:crypto'
import {
  codeIn,
  createAccount,
  database,
  expect,
  logIn,
  mailTo,
  PASSWORD,
  seedTodos,
  test,
  uniqueEmail,
  uniqueUsername,
} from './fixtures'

// Which language a page is in: the account's saved choice, else the browser's cookie, else
// Accept-Language, else English. The switchers are plain forms: they work without JavaScript.

/** Fills and sends the sign-up form as it reads in Korean. */
async function signUpInKorean(page: Page, username: string) {
  await page.getByLabel('사용자 이름').fill(username)
  await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD)
  await page.getByLabel('비밀번호 확인').fill(PASSWORD)
  await page.getByRole('button', { name: '가입하기' }).click()
}

async function savedChoices(username: string): Promise<{ locale: string | null; theme: string }> {
  const [rows] = await database().execute<RowDataPacket[]>('SELECT locale, theme FROM `user` WHERE username = ?', [
    username,
  ])
  return rows[0] as { locale: string | null; theme: string }
}

test.describe('in a Korean browser', () => {
  test.use({ locale: 'ko-KR' })

  test('a new user signs up, sees every page in Korean, and the account keeps Korean', async ({ page, browser }) => {
    await page.goto('/signup')
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko')
    await expect(page).toHaveTitle('회원가입 · Todos')
    await expect(page.getByRole('heading', { name: '계정 만들기' })).toBeVisible()

    const username = uniqueUsername('ko')
    await signUpInKorean(page, username)
    await expect(page).toHaveURL(/\/todos$/)
    await expect(page).toHaveTitle('내 할 일 · Todos')

    await page.getByLabel('무엇을 해야 하나요?').fill('우유 사기')
    await page.getByLabel('무엇을 해야 하나요?').press('Enter')
    await expect(page.getByText('1개 남음')).toBeVisible()
    await expect(page.getByRole('button', { name: '“우유 사기” 삭제' })).toBeVisible()

    await page.getByRole('link', { name: '계정' }).click()
    await expect(page.getByRole('heading', { name: '비밀번호 변경' })).toBeVisible()
    expect(await savedChoices(username)).toEqual({ locale: 'ko', theme: 'system' })

    // The saved choice outranks the browser: an English browser that logs in gets Korean.
    const english = await browser.newContext({ locale: 'en-US' })
    const other = await english.newPage()
    await logIn(other, { username, password: PASSWORD })
    await expect(other.getByRole('heading', { name: `${username}님의 할 일` })).toBeVisible()
    await expect(other.locator('html')).toHaveAttribute('lang', 'ko')
    await english.close()
  })

  test('민지 signs up with a Hangul name, verifies an email from a Korean message, and gets Korean messages', async ({
    page,
  }) => {
    // Hangul names are unique per run: a few syllables from the random bytes.
    const suffix = [...randomBytes(3)].map((byte) => String.fromCharCode(0xac00 + byte * 40)).join('')
    const username = `민지${suffix}`
    await page.goto('/signup')
    await signUpInKorean(page, username)
    await expect(page.getByRole('heading', { name: `${username}님의 할 일` })).toBeVisible()

    await page.getByRole('link', { name: '계정' }).click()
    const email = uniqueEmail('minji')
    await page.getByLabel('이메일').fill(email)
    await page.getByRole('button', { name: '코드 보내기' }).click()
    await expect(page.getByText(`${email} 주소로 6자리 코드를 보냈습니다.`, { exact: false })).toBeVisible()
    const [mail] = await mailTo(email)
    expect(mail?.subject).toBe('Todos 인증 코드')
    expect(mail?.text).toContain(`${username}님`)
    expect(mail?.html).toContain('lang="ko"')
    await page.getByLabel('코드').fill(codeIn(mail))
    await page.getByRole('button', { name: '인증하기' }).click()
    await expect(page.getByText(`${email} 주소가 인증되었습니다.`)).toBeVisible()

    // A Korean name refused for mixing scripts gets a Korean message.
    await page.getByRole('button', { name: '로그아웃', exact: true }).click()
    // The log-out's own redirect must land first, or it would replace the sign-up page opened next.
    await expect(page).toHaveURL(/\/login$/)
    await page.goto('/signup')
    await page.getByLabel('사용자 이름').fill('pаypal') // a Cyrillic а
    await page.getByRole('button', { name: '가입하기' }).click()
    await expect(page.locator('#username-error')).toBeVisible()
    await expect(page.locator('#username-error')).not.toHaveText(/[A-Za-z]{4}/)
  })

  test('the 404 page speaks Korean too, header included', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy() // an account that never chose: the browser's Korean decides
    const response = await page.goto('/nothing-here')
    expect(response?.status()).toBe(404)
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko')
    await expect(page.getByRole('heading', { name: '페이지를 찾을 수 없습니다' })).toBeVisible()
    await expect(page.getByRole('link', { name: '내 할 일로 가기' })).toBeVisible()
    await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible()
  })
})

test.describe('the language switcher', () => {
  test.use({ javaScriptEnabled: false })

  test('switches a signed-in user to English and back without JavaScript, keeping the page and saving the choice', async ({
    browser,
  }) => {
    const account = await createAccount()
    await seedTodos(account, [{ contents: 'one' }, { contents: 'two', isDone: true }])
    const context = await browser.newContext({ locale: 'ko-KR', javaScriptEnabled: false })
    const page = await context.newPage()
    await logIn(page, account, '/login?callbackUrl=%2Ftodos%3Ffilter%3Dactive')
    // Log-in without JavaScript: the form labels are Korean before the account has a choice.
    await expect(page).toHaveURL(/\/todos\?filter=active$/)
    await expect(page.getByText('1개 남음')).toBeVisible()

    await page.getByRole('group', { name: '언어' }).getByRole('button', { name: 'English' }).click()
    await expect(page).toHaveURL(/\/todos\?filter=active$/)
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(page.getByText('1 item left')).toBeVisible()
    await expect(page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'English' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    expect((await savedChoices(account.username)).locale).toBe('en')

    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: '한국어' }).click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko')
    await expect(page.getByText('1개 남음')).toBeVisible()
    expect((await savedChoices(account.username)).locale).toBe('ko')
    await context.close()
  })

  test('a visitor picks Korean on the log-in page: the cookie keeps it, and sign-up saves it', async ({ page }) => {
    await page.goto('/login?callbackUrl=%2Faccount')
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await page.getByRole('button', { name: '한국어' }).click()
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount$/)
    await expect(page.getByRole('heading', { name: '로그인' })).toBeVisible()

    await page.getByRole('link', { name: '계정 만들기' }).click()
    await expect(page.getByRole('heading', { name: '계정 만들기' })).toBeVisible()
    const username = uniqueUsername('cookie')
    await signUpInKorean(page, username)
    await expect(page).toHaveURL(/\/account$/)
    expect((await savedChoices(username)).locale).toBe('ko')
  })
})

test.describe('the theme switcher', () => {
  test('applies a theme on the server, before any script, and saves it on the account', async ({ page, signedIn }) => {
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/)
    await page.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Dark' }).click()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    expect((await savedChoices(signedIn.username)).theme).toBe('dark')

    // The server renders the choice: the HTML itself carries it, whatever the browser prefers.
    const html = await (await page.request.get('/todos')).text()
    expect(html).toMatch(/<html[^>]*data-theme="dark"/)
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await page.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Light' }).click()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(background)

    await page.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'System' }).click()
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/)
    expect((await savedChoices(signedIn.username)).theme).toBe('system')
  })
})
