import { CODE_SUBJECT, codeIn, expect, mailTo, test, uniqueEmail } from './fixtures'

test.describe('email verification on the account page', () => {
  test('send a code, type it, and the address shows as verified', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await page.getByRole('link', { name: 'Account' }).click()
    await expect(page).toHaveURL(/\/account$/)
    await expect(page.getByText('No verified email yet')).toBeVisible()

    const email = uniqueEmail('verify')
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Send code' }).click()
    await expect(page.getByText(`We sent a 6-digit code to ${email}`)).toBeVisible()

    const [mail] = await mailTo(email)
    expect(mail?.subject).toBe(CODE_SUBJECT)
    expect(mail?.subject).not.toMatch(/\d{3}/)
    await page.getByLabel('Code').fill(codeIn(mail))
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByText(`${email} is verified.`)).toBeVisible()

    await page.reload()
    await expect(page.getByText(email)).toBeVisible()
    await expect(page.getByText(/Verified/)).toBeVisible()
    const messages = await mailTo(email, 2)
    expect(messages.map((m) => m.subject)).toContainEqual(expect.stringMatching(/verified/i))
  })

  test('a wrong code gets a message and changes nothing', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await page.goto('/account')
    const email = uniqueEmail('wrong')
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Send code' }).click()
    const [mail] = await mailTo(email)
    const wrong = codeIn(mail) === '000000' ? '111111' : '000000'
    await page.getByLabel('Code').fill(wrong)
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByText('That code is wrong, expired or already used')).toBeVisible()
    await page.reload()
    await expect(page.getByText('No verified email yet')).toBeVisible()
  })

  test('an invalid address gets a message next to the field', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await page.goto('/account')
    await page.getByLabel('Email').fill('not-an-address')
    await page.getByRole('button', { name: 'Send code' }).click()
    await expect(page.getByText('Enter a valid email address')).toBeVisible()
    await expect(page.getByLabel('Email')).toHaveValue('not-an-address')
  })

  test('asking again within 30 seconds is refused with the wait', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await page.goto('/account')
    const email = uniqueEmail('again')
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Send code' }).click()
    await expect(page.getByText(`We sent a 6-digit code to ${email}`)).toBeVisible()
    await page.getByRole('button', { name: 'Send a new code' }).click()
    await expect(page.getByText(/Please wait \d+ seconds before asking for another code/)).toBeVisible()
  })
})
