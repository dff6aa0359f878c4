import { randomUUID } from 'node:crypto'
import type { APIRequestContext, Locator, Page } from '@playwright/test'
import { apiUser, createApiTodo, type ApiUser } from '../api/client'
import { expect, logIn, PASSWORD, test, todoItems, todoRow } from '../fixtures'
import { callAction, captureActionId, expectActionAnswered } from './actions'

// Insecure direct object references: user B (bob) knows the ids of user A's (alice's) todos and
// tries every operation on them, through every door: the JSON API (with his token and with his
// session cookie), the pages (any URL carrying her ids), and the server actions (forged hidden
// inputs, a rewritten request, direct calls with the actions' ids, plain HTML posts). Each must be
// a 404 (API) or change nothing (pages, actions); afterwards alice's list, read with her own token,
// is exactly what it was. Every forgery is first shown to work on bob's own todos, so that a
// "no effect" cannot come from a forgery that never reached the server.

type Todo = { id: number; contents: string; is_done: boolean; due_at: string | null; remind_at: string | null; repeat: string | null }

const list = async (request: APIRequestContext, user: ApiUser): Promise<Todo[]> =>
  (await (await request.get('/api/todos', { headers: user.headers })).json()).todos

type Victim = { user: ApiUser; todos: Todo[]; open: Todo; done: Todo }

/** Alice, with one open and one done todo (so that bob's "toggle all" and "clear completed" have targets). */
async function victim(request: APIRequestContext): Promise<Victim> {
  const user = await apiUser(request, 'alice')
  const open = await createApiTodo(request, user, 'alice’s secret plan')
  const done = await createApiTodo(request, user, 'alice’s finished secret', true)
  return { user, todos: [open, done], open, done }
}

/** Alice's todos as she sees them with her own token: the same ids, text and state as before. */
async function expectUntouched(request: APIRequestContext, alice: Victim) {
  expect(await list(request, alice.user)).toEqual(alice.todos)
  for (const todo of alice.todos) {
    const response = await request.get(`/api/todos/${todo.id}`, { headers: alice.user.headers })
    expect(await response.json()).toEqual(todo)
  }
}

/** Bob: an API token and a browser session, with three todos of his own. */
async function attacker(request: APIRequestContext, page: Page) {
  const user = await apiUser(request, 'bob')
  const own = [
    await createApiTodo(request, user, 'bob one'),
    await createApiTodo(request, user, 'bob two'),
    await createApiTodo(request, user, 'bob three', true),
  ]
  await logIn(page, { username: user.username, password: PASSWORD })
  await expect(page).toHaveURL(/\/todos$/)
  return { user, own }
}

const hydrated = (page: Page) => expect(todoItems(page).getByRole('button', { name: 'Edit' }).first()).toBeVisible()

/**
 * Sets every hidden `id` input on the page to `id`, and every hidden `isDone` to `isDone` (after
 * hydration, which would otherwise restore them).
 */
const forge = (page: Page, id: number, isDone?: boolean) =>
  page.locator('input[type=hidden]').evaluateAll(
    (inputs, values) => {
      for (const input of inputs as HTMLInputElement[]) {
        if (input.name === 'id') input.value = values.id
        if (input.name === 'isDone' && values.isDone !== undefined) input.value = values.isDone
      }
    },
    { id: String(id), isDone: isDone === undefined ? undefined : String(isDone) },
  )

/**
 * forge(), then a click on `control`, in one task of the page: with JavaScript, a live refresh
 * (of an earlier change) between the two would re-render the rows and restore the inputs.
 */
const forgeAndClick = async (page: Page, control: Locator, id: number, isDone?: boolean) => {
  const element = await control.elementHandle()
  await page.evaluate(
    ({ element, values }) => {
      for (const input of document.querySelectorAll<HTMLInputElement>('input[type=hidden]')) {
        if (input.name === 'id') input.value = values.id
        if (input.name === 'isDone' && values.isDone !== undefined) input.value = values.isDone
      }
      ;(element as HTMLElement).click()
    },
    { element, values: { id: String(id), isDone: isDone === undefined ? undefined : String(isDone) } },
  )
}

/** Bob's todo as he sees it through the API. */
const own = async (request: APIRequestContext, user: ApiUser, id: number) =>
  (await list(request, user)).find((todo) => todo.id === id)

const settled = (page: Page) => expect(page.getByText('Saving…')).toHaveCount(0)

test.describe('user B cannot touch user A’s todos', () => {
  test('the JSON API: 404 for every operation, exactly like a missing todo', async ({ request, page }) => {
    const alice = await victim(request)
    const bob = await attacker(request, page)
    const missing = alice.done.id + 1_000_000
    const withToken = { headers: bob.user.headers }
    // Bob's browser session is a credential for the API too (no Authorization header).
    const callers = [
      { name: 'token', fetch: (path: string, init: object = {}) => request.fetch(path, { ...withToken, ...init }) },
      { name: 'session cookie', fetch: (path: string, init: object = {}) => page.request.fetch(path, init) },
    ]

    for (const caller of callers) {
      for (const todo of alice.todos) {
        const attempts = [
          { method: 'GET' },
          { method: 'PATCH', data: { contents: 'pwned' } },
          { method: 'PATCH', data: { is_done: !todo.is_done } },
          { method: 'PATCH', data: { contents: 'pwned', is_done: !todo.is_done, user_id: bob.user.id } },
          { method: 'PATCH', data: { due_at: '2030-01-01T00:00:00Z', repeat: 'FREQ=DAILY' } },
          { method: 'PATCH', data: { due_at: null, remind_at: null, repeat: null } },
          { method: 'DELETE' },
        ]
        for (const attempt of attempts) {
          const what = `${caller.name}: ${attempt.method} alice’s ${todo.id} ${JSON.stringify(attempt.data ?? '')}`
          const theirs = await caller.fetch(`/api/todos/${todo.id}`, attempt)
          const nobodys = await caller.fetch(`/api/todos/${missing}`, attempt)
          expect(theirs.status(), what).toBe(404)
          expect(await theirs.json(), what).toEqual({ detail: 'ToDo Not Found' })
          expect(await theirs.text(), `${what}: indistinguishable from a missing todo`).toBe(await nobodys.text())
        }
      }
      // Bob's own list, in both orders, never includes hers.
      for (const order of ['ASC', 'DESC']) {
        const mine = (await (await caller.fetch(`/api/todos?order=${order}`)).json()) as { todos: Todo[] }
        expect(mine.todos.map((t) => t.id).sort((a, b) => a - b)).toEqual(bob.own.map((t) => t.id))
      }
      // /api/users/me is the caller's own account: there is no way to name another.
      const me = await caller.fetch('/api/users/me')
      expect((await me.json()).id).toBe(bob.user.id)
      const changed = await caller.fetch('/api/users/me', {
        method: 'PATCH',
        data: { id: alice.user.id, user_id: alice.user.id, username: alice.user.username, time_zone: 'Asia/Seoul' },
      })
      expect((await changed.json()).id).toBe(bob.user.id)
      for (const path of [`/api/users/${alice.user.id}`, `/api/users/me/${alice.user.id}`]) {
        expect((await caller.fetch(path)).status(), path).toBe(404)
      }
    }
    const hers = await request.get('/api/users/me', { headers: alice.user.headers })
    expect(await hers.json()).toMatchObject({ id: alice.user.id, time_zone: 'UTC' })

    // Creating "for" alice, or with her todo's id, creates bob's own new todo.
    const forged = await request.post('/api/todos', {
      ...withToken,
      data: { contents: 'planted', id: alice.open.id, user_id: alice.user.id, userId: alice.user.id, owner: 'alice' },
    })
    expect(forged.status()).toBe(201)
    const planted = (await forged.json()) as Todo
    expect(planted.id).not.toBe(alice.open.id)
    expect((await request.get(`/api/todos/${planted.id}`, { headers: alice.user.headers })).status()).toBe(404)
    expect((await request.get(`/api/todos/${planted.id}`, withToken)).status()).toBe(200)

    // Nor can a patch of his own todo hand it to her (no mass assignment of the owner).
    const handOver = await request.patch(`/api/todos/${bob.own[0]!.id}`, {
      ...withToken,
      data: { contents: 'gift', user_id: alice.user.id, userId: alice.user.id },
    })
    expect(handOver.status()).toBe(200)
    expect((await request.get(`/api/todos/${bob.own[0]!.id}`, withToken)).status()).toBe(200)

    await expectUntouched(request, alice)
  })

  test('pages: no URL shows her todos or their ids', async ({ request, page }) => {
    test.setTimeout(90_000) // about forty full page loads
    const alice = await victim(request)
    const bob = await attacker(request, page)
    const ids = alice.todos.map((t) => t.id)
    const urls = [
      '/todos',
      ...['all', 'active', 'completed'].flatMap((filter) => [1, 2, 3].map((n) => `/todos?filter=${filter}&page=${n}`)),
      ...ids.flatMap((id) => [
        `/todos?page=${id}`,
        `/todos?id=${id}`,
        `/todos?filter=${id}`,
        `/todos/${id}`,
        `/todos/${id}/edit`,
        `/account?id=${id}`,
        `/api-docs?id=${id}`,
        `/api/todos/${id}`,
      ]),
      `/todos?user=${alice.user.id}&userId=${alice.user.id}`,
    ]
    for (const url of urls) {
      const response = await page.goto(url)
      expect(response?.status() ?? 0, url).toBeLessThan(500)
      const html = await page.content()
      for (const todo of alice.todos) expect(html, `${url} shows ${todo.contents}`).not.toContain(todo.contents)
      for (const id of ids) {
        expect(await page.locator(`input[name=id][value="${id}"]`).count(), `${url} holds id ${id}`).toBe(0)
        expect(await page.locator(`[id^="todo-${id}-"]`).count(), `${url} labels id ${id}`).toBe(0)
      }
    }
    // A control: his own page does show his own todos the same way.
    await page.goto('/todos')
    await expect(todoItems(page)).toHaveText(bob.own.map((t) => t.contents))
    await expectUntouched(request, alice)
  })

  test('server actions from the hydrated page: forged ids, a rewritten edit, direct calls', async ({
    request,
    page,
  }) => {
    test.setTimeout(60_000)
    const alice = await victim(request)
    const bob = await attacker(request, page)
    const [, two, three] = bob.own as [Todo, Todo, Todo]
    await hydrated(page)

    // Toggle with forged hidden inputs: the control on his own second todo works, hers are ignored.
    const bobOne = page.getByRole('checkbox', { name: 'bob one' })
    const toggle = await captureActionId(page, () => forgeAndClick(page, bobOne, two.id, true))
    await expect.poll(() => own(request, bob.user, two.id)).toEqual({ ...two, is_done: true }) // control
    for (const target of alice.todos) {
      await forgeAndClick(page, bobOne, target.id, !target.is_done)
      await settled(page)
    }

    // Edit through the UI, with the request rewritten on its way to carry her id instead of his
    // (the page's outbox sends applyChangeAction(key, change, view): the body is the JSON list `[key, change, view]`).
    let rewriteTo = two.id
    let answers: { status: number; body: string }[] = []
    await page.route('**/todos', async (route) => {
      const body = route.request().postData()
      if (route.request().method() !== 'POST' || !body?.startsWith('[')) return route.continue()
      const [key, change, ...view] = JSON.parse(body) as [string, { id: number }, unknown]
      const response = await route.fetch({ postData: JSON.stringify([key, { ...change, id: rewriteTo }, ...view]) })
      answers.push({ status: response.status(), body: await response.text() })
      await route.fulfill({ response })
    })
    const editViaUi = async (text: string) => {
      await page.reload()
      await hydrated(page)
      answers = []
      await todoRow(page, 'bob one').getByRole('button', { name: 'Edit' }).click()
      const field = page.getByRole('textbox', { name: 'Edit “bob one”' })
      await field.fill(text)
      await field.press('Enter')
      await expect.poll(() => answers.length, 'the rewritten edit was sent').toBe(1)
      const [answer] = answers as [{ status: number; body: string }]
      await expectActionAnswered({ status: () => answer.status, text: async () => answer.body }, `edit as ${rewriteTo}`)
      await settled(page)
      return answer.body
    }
    await editViaUi('renamed through a rewrite') // control: lands on his second todo
    expect((await own(request, bob.user, two.id))?.contents).toBe('renamed through a rewrite')
    for (const target of alice.todos) {
      rewriteTo = target.id
      expect(await editViaUi('pwned through a rewrite')).toContain('That todo no longer exists')
      await editViaUi('') // saving empty text deletes, as in TodoMVC: not hers
    }
    await page.unroute('**/todos')
    await page.reload()
    await hydrated(page)

    // The action ids, then direct calls with her ids; controls on his own todos first.
    const edit = await captureActionId(page, async () => {
      await todoRow(page, 'bob one').getByRole('button', { name: 'Edit' }).click()
      await page.getByRole('textbox', { name: 'Edit “bob one”' }).fill('bob one, edited')
      await page.getByRole('textbox', { name: 'Edit “bob one”' }).press('Enter')
    })
    await settled(page)
    const remove = await captureActionId(page, () =>
      todoRow(page, 'bob one, edited').getByRole('button', { name: 'Delete' }).click(),
    )
    await settled(page)
    // Every change of the hydrated page goes through one action, applyChangeAction(key, change, view).
    expect(new Set([toggle, edit, remove]).size).toBe(1)
    const change = (body: Record<string, unknown>) => [randomUUID(), body]
    await expectActionAnswered(await callAction(page, edit, change({ type: 'edit', id: two.id, contents: 'edited directly' })), 'edit control')
    await expectActionAnswered(await callAction(page, toggle, change({ type: 'set-done', id: two.id, isDone: false })), 'toggle control')
    expect(await own(request, bob.user, two.id)).toEqual({ ...two, contents: 'edited directly', is_done: false })
    await expectActionAnswered(await callAction(page, remove, change({ type: 'delete', id: two.id })), 'delete control')
    expect((await list(request, bob.user)).map((t) => t.id)).toEqual([three.id])

    for (const target of alice.todos) {
      const id = String(target.id)
      for (const contents of ['pwned directly', '  pwned  ', '', ' ']) {
        for (const args of [change({ type: 'edit', id: target.id, contents }), change({ type: 'edit', id, contents })]) {
          const answer = await callAction(page, edit, args)
          await expectActionAnswered(answer, `applyChangeAction(${JSON.stringify(args)})`)
          // Blank text means "delete", which answers nothing either way; other text is refused
          // (a string id is not a change the page makes at all).
          if (contents.trim()) expect(await answer.text()).toMatch(/That todo no longer exists|This value is not valid/)
        }
      }
      for (const isDone of [true, false]) {
        await expectActionAnswered(await callAction(page, toggle, change({ type: 'set-done', id: target.id, isDone })), `toggle hers to ${isDone}`)
      }
      await expectActionAnswered(await callAction(page, remove, change({ type: 'delete', id: target.id })), 'delete hers')
    }

    // Bob's "toggle all" (both ways) and "clear completed" are his alone: she has an open and a
    // done todo for them to get wrong.
    await page.reload()
    const toggleAll = page.getByRole('checkbox', { name: 'Mark all as complete' })
    await expect(toggleAll).toBeChecked() // only his done todo is left
    await toggleAll.click()
    await settled(page)
    await expect(toggleAll).not.toBeChecked()
    await toggleAll.click()
    await settled(page)
    await expect(toggleAll).toBeChecked()
    await page.getByRole('button', { name: 'Clear completed' }).click()
    await settled(page)
    expect(await list(request, bob.user)).toEqual([])

    await expectUntouched(request, alice)
  })

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false })

    test('plain HTML form posts with her ids, and a new todo with her user id', async ({ request, page }) => {
      const alice = await victim(request)
      const bob = await attacker(request, page)
      const two = bob.own[1]!

      // Control: the first row's forms aimed at his second todo act on it.
      await forge(page, two.id, true)
      await page.getByRole('checkbox', { name: 'bob one' }).click()
      await expect(page.getByRole('checkbox', { name: 'bob two' })).toBeChecked()
      await forge(page, two.id)
      await todoRow(page, 'bob one').getByRole('button', { name: 'Delete' }).click()
      await expect(todoRow(page, 'bob two')).toHaveCount(0)

      for (const target of alice.todos) {
        await forge(page, target.id, !target.is_done)
        await page.getByRole('checkbox', { name: 'bob one' }).click()
        await expect(page.getByRole('checkbox', { name: 'bob one' })).not.toBeChecked()
        await forge(page, target.id)
        await todoRow(page, 'bob one').getByRole('button', { name: 'Delete' }).click()
        await expect(todoRow(page, 'bob one')).toHaveCount(1)
      }

      // Extra fields naming her as the owner, slipped into the new-todo form.
      await page.locator('form.new-todo').evaluate((form, ownerId) => {
        for (const name of ['userId', 'user_id', 'owner', 'id']) {
          const input = document.createElement('input')
          input.type = 'hidden'
          input.name = name
          input.value = ownerId
          form.append(input)
        }
      }, String(alice.user.id))
      await page.getByLabel('What needs to be done?').fill('planted without JavaScript')
      await page.getByRole('button', { name: 'Add' }).click()
      await expect(todoRow(page, 'planted without JavaScript')).toHaveCount(1)
      expect((await list(request, bob.user)).map((t) => t.contents)).toContain('planted without JavaScript')

      await expectUntouched(request, alice)
    })
  })
})

test.describe('user B cannot touch user A’s trash', () => {
  test('the JSON API and the Trash page’s forms: her trashed ids are 404 and change nothing', async ({ request, page }) => {
    const alice = await apiUser(request, 'alice')
    const trashed = await createApiTodo(request, alice, 'alice’s deleted secret')
    const live = await createApiTodo(request, alice, 'alice’s live secret')
    expect((await request.delete(`/api/todos/${trashed.id}`, { headers: alice.headers })).status()).toBe(204)
    const hersBefore = await (await request.get('/api/trash', { headers: alice.headers })).json()
    const bob = await attacker(request, page)
    const mine = bob.own[0]!
    expect((await request.delete(`/api/todos/${mine.id}`, { headers: bob.user.headers })).status()).toBe(204)
    const missing = live.id + 1_000_000

    const callers = [
      { name: 'token', fetch: (path: string, init: object = {}) => request.fetch(path, { headers: bob.user.headers, ...init }) },
      { name: 'session cookie', fetch: (path: string, init: object = {}) => page.request.fetch(path, init) },
    ]
    for (const caller of callers) {
      for (const id of [trashed.id, live.id]) {
        for (const [method, path] of [
          ['GET', `/api/todos/${id}`],
          ['POST', `/api/trash/${id}/restore`],
          ['DELETE', `/api/trash/${id}`],
        ] as const) {
          const what = `${caller.name}: ${method} ${path}`
          const theirs = await caller.fetch(path, { method })
          const nobodys = await caller.fetch(path.replace(String(id), String(missing)), { method })
          expect(theirs.status(), what).toBe(404)
          expect(await theirs.text(), `${what}: indistinguishable from a missing todo`).toBe(await nobodys.text())
        }
      }
      const trash = (await (await caller.fetch('/api/trash')).json()) as { todos: { id: number }[] }
      expect(trash.todos.map((todo) => todo.id), caller.name).toEqual([mine.id])
    }
    // Emptying his trash empties his only.
    expect((await request.delete('/api/trash', { headers: bob.user.headers })).status()).toBe(204)

    // The Trash page's forms with her ids (restore, delete forever): nothing happens to hers.
    await request.delete(`/api/todos/${bob.own[1]!.id}`, { headers: bob.user.headers })
    for (const button of ['Restore', 'Delete forever']) {
      await page.goto(button === 'Restore' ? '/trash' : `/trash?confirm=${bob.own[1]!.id}`)
      await page.locator('input[type=hidden][name=id]').evaluateAll((inputs, id) => {
        for (const input of inputs as HTMLInputElement[]) input.value = id
      }, String(trashed.id))
      await page.getByRole('button', { name: button === 'Restore' ? /^Restore/ : 'Yes, delete forever' }).click()
      await expect(page).toHaveURL(/\/trash$/)
      await expect(page.getByText('bob two')).toBeVisible() // his own is still there: the forged id did nothing
    }
    // The list page's Undo with her ids, as a direct form post.
    await page.goto(`/todos?deleted=${trashed.id}`)
    await expect(page.getByText('alice’s deleted secret')).toHaveCount(0) // no notice names her todo

    expect(await (await request.get('/api/trash', { headers: alice.headers })).json()).toEqual(hersBefore)
    expect(await (await request.get('/api/todos', { headers: alice.headers })).json()).toEqual({ todos: [live] })
  })
})
