import type { Page } from '@playwright/test'
import { addTodo, CODE_SUBJECT, codeIn, expect, logIn, mailTo, PASSWORD, signUpInPage, test, todoRow, todoTexts, uniqueEmail, uniqueUsername } from '../fixtures'

// A user's first minutes, on the cluster topology: a laptop talking to app-1, a phone to app-2
// (each instance straight, so that the live update must cross instances through the Redis
// Cluster), and a third page through nginx. Every write lands on a Galera node behind HAProxy.
const APP_1 = 'http://127.0.0.1:3401'
const APP_2 = 'http://127.0.0.1:3402'
const LIVE = { timeout: 2_000 }

const live = (page: Page) => expect(page.locator('[data-live="live"]')).toHaveCount(1)

test('sign up, add, toggle, see it live on the other instance, verify an email code', async ({ browser, baseURL }) => {
  const username = uniqueUsername('stack')
  const laptop = await browser.newContext({ baseURL: APP_1 })
  const laptopPage = await laptop.newPage()
  await signUpInPage(laptopPage, username)
  await expect(laptopPage).toHaveURL(/\/todos$/)
  await addTodo(laptopPage, 'Water the plants')
  await expect(todoTexts(laptopPage)).toHaveText(['Water the plants'])
  await live(laptopPage)

  const phone = await browser.newContext({ baseURL: APP_2 })
  const phonePage = await phone.newPage()
  await logIn(phonePage, { username, password: PASSWORD })
  await expect(phonePage).toHaveURL(/\/todos$/)
  await expect(todoTexts(phonePage)).toHaveText(['Water the plants'])
  await live(phonePage)

  // Ticked on app-1: ticked on app-2 without a reload; added on app-2: shown on app-1.
  await todoRow(laptopPage, 'Water the plants').getByRole('checkbox').click()
  await expect(todoRow(phonePage, 'Water the plants').getByRole('checkbox')).toBeChecked(LIVE)
  await addTodo(phonePage, 'Buy bread')
  await expect(todoTexts(laptopPage)).toHaveText(['Water the plants', 'Buy bread'], LIVE)
  await expect(laptopPage.getByText('1 item left')).toBeVisible()

  // Through nginx, on whichever instance: the same list.
  const edge = await browser.newContext({ baseURL: baseURL! })
  const edgePage = await edge.newPage()
  await logIn(edgePage, { username, password: PASSWORD })
  await expect(todoTexts(edgePage)).toHaveText(['Water the plants', 'Buy bread'])

  // An email code: kept in the Redis Cluster by app-1, mailed by the worker (a process of its
  // own); once verified, app-2 shows the address too.
  const email = uniqueEmail('stack')
  await laptopPage.goto('/account')
  await laptopPage.getByLabel('Email').fill(email)
  await laptopPage.getByRole('button', { name: 'Send code' }).click()
  await expect(laptopPage.getByText(`We sent a 6-digit code to ${email}`)).toBeVisible()
  const [mail] = await mailTo(email, 1, CODE_SUBJECT, 20_000)
  await laptopPage.getByLabel('Code').fill(codeIn(mail))
  await laptopPage.getByRole('button', { name: 'Verify' }).click()
  await expect(laptopPage.getByText(`${email} is verified.`)).toBeVisible()
  await phonePage.goto('/account')
  await expect(phonePage.getByText(email)).toBeVisible()

  for (const context of [laptop, phone, edge]) await context.close()
})
