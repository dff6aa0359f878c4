import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import type { Page, Response } from '@playwright/test'
import { anyJson, hostileString } from '../../test/support/arbitraries'
import { expect, logIn, seedTodos, test, todoItems, type Account } from '../fixtures'
import { callAction, captureActionId, expectActionAnswered } from './actions'
import { fuzzSettings } from './fuzzing'

// The todo page's server actions fed anything a client can put in their inputs: the hidden `id`
// and `isDone` fields (which a user can edit in the browser's dev tools), the new todo's text, and
// the edit action's arguments. Whatever arrives, the actions must refuse it quietly: no 5xx, no
// error page. Runs are few (each is a real form submission) and bounded: about 30 per test.

const RUNS = 30

/** What a hidden field could be made to hold: numbers of every shape, any text, empty. */
const fieldValue = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('', '0', '-1', '1.5', '1e3', '0x10', '2147483648', '9007199254740993'),
  fc.constantFrom('true', 'false', 'TRUE', 'null', 'on'),
  hostileString({ maxLength: 30, hugeLength: 5_000 }),
)

type Forgery = { form: 'toggle' | 'delete' | 'toggle-all'; id: string; isDone: string }
const forgery = fc.record({
  form: fc.constantFrom('toggle', 'delete', 'toggle-all'),
  id: fieldValue,
  isDone: fieldValue,
})

const FORM_CLASS = { toggle: 'todo-toggle-form', delete: 'todo-delete-form', 'toggle-all': 'toggle-all-form' } as const

/** The list page, with at least one todo to aim the forms at (a forged delete may use them up). */
async function listWithTodos(page: Page, account: Account) {
  if ((await todoItems(page).count()) === 0) {
    await seedTodos(account, [{ contents: 'fuzz target' }, { contents: 'done target', isDone: true }])
    await page.goto('/todos')
  }
  await expect(todoItems(page).first()).toBeVisible()
}

/** Sets the chosen form's hidden inputs to the forged values, submits it, and returns the action's response. */
async function submitForged(page: Page, { form, id, isDone }: Forgery): Promise<Response> {
  const target = page.locator(`form.${FORM_CLASS[form]}`).first()
  await target.evaluate(
    (element, values) => {
      for (const [name, value] of Object.entries(values)) {
        const input = element.querySelector<HTMLInputElement>(`input[name="${name}"]`)
        if (input) input.value = value
      }
    },
    { id, isDone },
  )
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/todos'))
  await target.locator('button[type=submit]').click()
  return response
}

const errorPage = (page: Page) => page.getByRole('heading', { name: 'Something went wrong' })

/**
 * The control that makes the fuzz mean something: a forged id does reach the server. Deleting the
 * first row with its hidden id set to the second row's id deletes the second one.
 */
async function expectForgeryReachesServer(page: Page) {
  await expect(todoItems(page)).toHaveCount(2)
  const [first, second] = await page.locator('form.todo-delete-form input[name=id]').evaluateAll((inputs) =>
    inputs.map((input) => (input as HTMLInputElement).value),
  )
  const [firstText] = await todoItems(page).locator('.todo-text').allTextContents()
  expect(first && second && firstText).toBeTruthy()
  const response = await submitForged(page, { form: 'delete', id: String(second), isDone: '' })
  expect(response.status()).toBeLessThan(400)
  await expect(page.getByText('Saving…')).toHaveCount(0)
  await page.goto('/todos')
  await expect(todoItems(page).locator('.todo-text')).toHaveText([String(firstText)])
}

test.describe('the todo forms with forged hidden inputs', () => {
  test('submitted from the hydrated page: each is refused quietly', async ({ page, signedIn }) => {
    test.setTimeout(90_000)
    await seedTodos(signedIn, [{ contents: 'fuzz target' }, { contents: 'done target', isDone: true }])
    await page.reload()
    // Hydrated: the forms now call the actions through React (the Edit button appears then).
    await expect(todoItems(page).getByRole('button', { name: 'Edit' }).first()).toBeVisible()
    await expectForgeryReachesServer(page)
    await expect(todoItems(page).getByRole('button', { name: 'Edit' }).first()).toBeVisible()

    await fc.assert(
      fc.asyncProperty(forgery, async (forged) => {
        await listWithTodos(page, signedIn)
        const response = await submitForged(page, forged)
        expect(response.status(), JSON.stringify(forged)).toBeLessThan(500)
        await expect(page.getByText('Saving…')).toHaveCount(0)
        await expect(errorPage(page)).toHaveCount(0)
      }),
      fuzzSettings(RUNS),
    )
  })

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false })

    test('posted as plain HTML forms: each is refused quietly, the list comes back', async ({ page, account }) => {
      test.setTimeout(90_000)
      await seedTodos(account, [{ contents: 'fuzz target' }, { contents: 'done target', isDone: true }])
      await logIn(page, account)
      await expect(page).toHaveURL(/\/todos$/)
      await expectForgeryReachesServer(page)
      const withText = fc.record({ contents: fieldValue })

      await fc.assert(
        fc.asyncProperty(fc.oneof(forgery, withText), async (forged) => {
          await listWithTodos(page, account)
          let response: Response
          if ('contents' in forged) {
            await page.getByLabel('What needs to be done?').fill(forged.contents)
            const answer = page.waitForResponse((r) => r.request().method() === 'POST')
            await page.getByRole('button', { name: 'Add' }).click()
            response = await answer
          } else {
            response = await submitForged(page, forged)
          }
          expect(response.status(), JSON.stringify(forged).slice(0, 300)).toBeLessThan(500)
          await page.waitForLoadState()
          await expect(errorPage(page)).toHaveCount(0)
          await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${account.username}’s todos`)
        }),
        fuzzSettings(RUNS),
      )
    })
  })
})

test.describe('the todo actions called directly, with any arguments', () => {
  test('applyChangeAction(key, change, view), the one action the hydrated page sends, with any values', async ({ page, signedIn }) => {
    test.setTimeout(90_000)
    await seedTodos(signedIn, [{ contents: 'fuzz target' }, { contents: 'done target', isDone: true }])
    await page.reload()
    await expect(todoItems(page).getByRole('button', { name: 'Edit' }).first()).toBeVisible()

    // The action's id, from the request the page itself sends (every change goes through the outbox).
    const change = await captureActionId(page, async () => {
      await todoItems(page).getByRole('button', { name: 'Edit' }).first().click()
      await page.getByRole('textbox', { name: 'Edit “fuzz target”' }).fill('fuzz target, edited')
      await page.getByRole('textbox', { name: 'Edit “fuzz target”' }).press('Enter')
    })
    await expect(page.getByText('Saving…')).toHaveCount(0)

    // Control: called this way, with good arguments, the action does work.
    const id = Number(await page.locator('form.todo-toggle-form input[name=id]').first().inputValue())
    await expectActionAnswered(await callAction(page, change, [randomUUID(), { type: 'edit', id, contents: 'renamed directly' }]), 'edit control')
    await expectActionAnswered(await callAction(page, change, [randomUUID(), { type: 'set-done', id, isDone: true }]), 'toggle control')
    await page.reload()
    await expect(page.getByRole('checkbox', { name: 'renamed directly' })).toBeChecked()

    const anything = fc.oneof(fieldValue, anyJson)
    const changeLike = fc.record({
      type: fc.constantFrom('add', 'set-done', 'edit', 'delete', 'set-all-done', 'clear-completed', 'set-details', 'undo', 'fly'),
      id: anything,
      contents: anything,
      isDone: anything,
      ids: anything,
      fields: anything,
    }, { requiredKeys: ['type'] })
    const viewLike = fc.oneof(anything, fc.record({ filter: fc.oneof(fc.constantFrom('all', 'active', 'today', 'nope'), anything), page: anything }))
    const call = fc.oneof(
      fc.tuple(anything, anything),
      fc.tuple(fc.uuid(), changeLike),
      fc.tuple(anything, changeLike),
      fc.tuple(fc.uuid(), changeLike, viewLike),
    )
    await fc.assert(
      fc.asyncProperty(call, async (args) => {
        await expectActionAnswered(await callAction(page, change, args), JSON.stringify(args).slice(0, 300))
      }),
      fuzzSettings(RUNS * 2),
    )
  })

  test('a malformed action payload', async ({ page, signedIn }) => {
    // Known, reported with this suite: a body that is not React's reply encoding (not JSON, or a
    // `$` reference to nothing) makes Next answer 500 before the action runs: anyone can send one
    // (POST /login works without a session). Marked failing until fixed; then this passes.
    test.fail(true, 'known: Next answers 500 when it cannot decode the action arguments')
    await seedTodos(signedIn, [{ contents: 'fuzz target' }])
    await page.reload()
    await expect(todoItems(page).getByRole('button', { name: 'Edit' }).first()).toBeVisible()
    const edit = await captureActionId(page, async () => {
      await todoItems(page).getByRole('button', { name: 'Edit' }).click()
      await page.getByRole('textbox', { name: 'Edit “fuzz target”' }).fill('fuzz target, edited')
      await page.getByRole('textbox', { name: 'Edit “fuzz target”' }).press('Enter')
    })
    for (const body of ['not json', '"garbage"', '["$Q1"]', '["$F1"]', '["$B1"]']) {
      const response = await page.request.post('/todos', {
        headers: { 'next-action': edit, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
        data: body,
      })
      expect(response.status(), body).toBeLessThan(500)
    }
  })
})
