import { createHash, randomBytes } from 'node:crypto'
import { hash } from '@node-rs/argon2'
import { test as base, expect, type Page } from '@playwright/test'
import mysql from 'mysql2/promise'
import { usernameKey } from '../lib/validation/username-key'
import { E2E_DATABASE_URL } from '../playwright.config'
import { secret, secretsInForm } from './secrets'

export const PASSWORD = secret('violet kettle drums')

export type Account = { id: number; username: string; password: string }

let pool: mysql.Pool | undefined
/** The e2e database, for arranging what a test needs faster than the UI could. */
export function database(): mysql.Pool {
  pool ??= mysql.createPool({ uri: E2E_DATABASE_URL, connectionLimit: 2 })
  return pool
}

export function uniqueUsername(prefix = 'e2e'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`
}

/** An account made directly in the database (hashing as the app does); each test gets its own. */
export async function createAccount(prefix?: string): Promise<Account> {
  const username = uniqueUsername(prefix)
  const phc = await hash(PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 })
  const [result] = await database().execute<mysql.ResultSetHeader>(
    'INSERT INTO `user` (username, username_key, password) VALUES (?, ?, ?)',
    [username, usernameKey(username), phc],
  )
  return { id: result.insertId, username, password: PASSWORD }
}

const tokens = new Map<number, string>()

/**
 * Adds todos for an account, oldest first, through the JSON API: the app's own write path, so
 * its cache sees every write (a row slipped into the database behind its back would not be seen
 * by a list the app has cached).
 */
export async function seedTodos(account: Account, todos: { contents: string; isDone?: boolean }[]): Promise<void> {
  const { default: config } = await import('../playwright.config')
  const base = config.use?.baseURL
  let token = tokens.get(account.id)
  if (!token) {
    const response = await fetch(`${base}/api/users/log-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: account.username, password: account.password }),
    })
    token = secret(((await response.json()) as { access_token: string }).access_token)
    tokens.set(account.id, token)
  }
  for (const todo of todos) {
    const response = await fetch(`${base}/api/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ contents: todo.contents, is_done: todo.isDone ?? false }),
    })
    if (response.status !== 201) throw new Error(`seeding failed: ${response.status} ${await response.text()}`)
  }
}

/** Logs in through the form, in whichever language the page is shown. */
export async function logIn(page: Page, account: Pick<Account, 'username' | 'password'>, path = '/login') {
  await page.goto(path)
  await page.getByLabel(/^(Username|사용자 이름)$/).fill(account.username)
  await page.getByLabel(/^(Password|비밀번호)$/).fill(account.password)
  await page.getByRole('button', { name: /^(Log in|로그인)$/ }).click()
}

/** The todo list page's input. */
/** Signs `username` up through the English sign-up page, with PASSWORD (the test checks where it lands). */
export async function signUpInPage(page: Page, username: string) {
  await page.goto('/signup')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Confirm password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign up' }).click()
}

export const newTodoInput = (page: Page) => page.getByLabel('What needs to be done?')

export async function addTodo(page: Page, text: string) {
  await newTodoInput(page).fill(text)
  await newTodoInput(page).press('Enter')
}

/** Reloads once every change on the page has reached the server (reloading earlier would cancel it). */
export async function reloadWhenSaved(page: Page) {
  await expect(page.getByText('Saving…')).toHaveCount(0)
  await page.reload()
}

export const todoItems = (page: Page) => page.getByRole('list', { name: 'Todos' }).getByRole('listitem')

/**
 * The todos' own texts. Without JavaScript each row also holds its closed details editor, whose
 * fields are in the DOM (hidden): a row's whole text is then more than the todo's.
 */
export const todoTexts = (page: Page) => todoItems(page).locator('.todo-text')

/**
 * The row of the todo whose text is exactly `contents`. Not `filter({ hasText })`: that matches
 * substrings of the whole row, hidden editor fields included ("One" is in the option "None").
 */
export const todoRow = (page: Page, contents: string) =>
  todoItems(page).filter({
    has: page.locator('.todo-text', { hasText: new RegExp(`^${contents.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
  })

export const test = base.extend<{ account: Account; signedIn: Account; recordSecrets: void }>({
  /** Every test: the passwords, codes and tokens its pages post, and the session cookies it ends with (e2e/secrets.ts). */
  recordSecrets: [
    async ({ context }, use) => {
      context.on('request', (request) => {
        for (const value of secretsInForm(request.postData())) secret(value)
      })
      await use()
      for (const cookie of await context.cookies().catch(() => [])) {
        if (/session-token|csrf/i.test(cookie.name)) secret(cookie.value)
      }
    },
    { auto: true },
  ],
  account: async ({}, use) => {
    await use(await createAccount())
  },
  /** An account already logged in, on its list. */
  signedIn: async ({ page, account }, use) => {
    await logIn(page, account)
    await expect(page).toHaveURL(/\/todos$/)
    await use(account)
  },
})

export { expect }

type ReceivedMail = { to: string[]; subject: string; text: string; html: string }

export const CODE_SUBJECT = 'Your Todos verification code'

/**
 * The mail that reached the SMTP sink for `to` (only that with `subject`, if given), waiting up to
 * `timeout` ms for `count` messages.
 */
export async function mailTo(to: string, count = 1, subject?: string, timeout = 10_000): Promise<ReceivedMail[]> {
  const { MAIL_SINK_URL } = await import('../playwright.config')
  const deadline = Date.now() + timeout
  for (;;) {
    const response = await fetch(`${MAIL_SINK_URL}/messages?to=${encodeURIComponent(to)}`)
    const messages = ((await response.json()) as ReceivedMail[]).filter((m) => !subject || m.subject === subject)
    if (messages.length >= count || Date.now() > deadline) return messages
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The 6-digit code in a verification email's text (shown grouped as "123 456"). */
export function codeIn(mail: ReceivedMail | undefined): string {
  const match = /\b(\d{3}) ?(\d{3})\b/.exec(mail?.text ?? '')
  if (!match) throw new Error(`no code in: ${mail?.text}`)
  return secret(`${match[1]}${match[2]}`)
}

/** An address no other test uses. */
export const uniqueEmail = (prefix = 'user') => `${uniqueUsername(prefix)}@example.test`.toLowerCase()

export const RESET_SUBJECT = 'Reset your Todos password'
export const RESET_SUBJECT_KO = 'Todos 비밀번호 재설정'
export const PASSWORD_CHANGED_SUBJECT = 'Your Todos password was changed'

/** An account with a verified email address, made directly in the database. */
export async function verifiedAccount(prefix?: string): Promise<Account & { email: string }> {
  const account = await createAccount(prefix)
  const email = uniqueEmail(prefix)
  await database().execute('UPDATE `user` SET email = ?, email_verified_at = UTC_TIMESTAMP() WHERE id = ?', [email, account.id])
  return { ...account, email }
}

/** The reset link in a reset email's text, and its path (the tests browse `localhost`, the link names APP_URL). */
export function resetLinkIn(mail: ReceivedMail | undefined): { link: string; path: string; token: string } {
  const match = /(https?:\/\/[^\s/]+)(\/reset-password\?token=([A-Za-z0-9_-]+))/.exec(mail?.text ?? '')
  if (!match) throw new Error(`no reset link in: ${mail?.text}`)
  return { link: match[0], path: match[2]!, token: secret(match[3]!) }
}

/** A valid reset token for the account, put straight into the database (as the worker would, hashed). */
export async function resetTokenFor(account: Pick<Account, 'id'>): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  const hash = createHash('sha256').update(token).digest('hex')
  await database().execute(
    `INSERT INTO password_reset (user_id, token_hash, expires_at) VALUES (?, ?, UTC_TIMESTAMP() + INTERVAL 30 MINUTE)
     ON DUPLICATE KEY UPDATE token_hash = VALUES(token_hash), expires_at = VALUES(expires_at)`,
    [account.id, hash],
  )
  return secret(token)
}
