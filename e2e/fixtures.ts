import { randomBytes } from 'node:crypto'
import { hash } from '@node-rs/argon2'
import { test as base, expect, type Page } from '@playwright/test'
import mysql from 'mysql2/promise'
import { E2E_DATABASE_URL } from '../playwright.config'

export const PASSWORD = 'violet kettle drums'

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
    'INSERT INTO `user` (username, password) VALUES (?, ?)',
    [username, phc],
  )
  return { id: result.insertId, username, password: PASSWORD }
}

/** Inserts todos for an account, oldest first. */
export async function seedTodos(account: Account, todos: { contents: string; isDone?: boolean }[]): Promise<void> {
  const rows = todos.map((t) => [t.contents, t.isDone ?? false, account.id])
  await database().query('INSERT INTO todo (contents, is_done, user_id) VALUES ?', [rows])
}

export async function logIn(page: Page, account: Pick<Account, 'username' | 'password'>, path = '/login') {
  await page.goto(path)
  await page.getByLabel('Username').fill(account.username)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Log in' }).click()
}

/** The todo list page's input. */
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

export const test = base.extend<{ account: Account; signedIn: Account }>({
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
