import { expect, test } from '@playwright/test'
import { apiUser, createApiTodo, expectDetail } from './client'

test.describe('the todo routes', () => {
  test('create, read, update and delete, each write visible to the next read', async ({ request }) => {
    const user = await apiUser(request)
    const created = await createApiTodo(request, user, '  write tests  ')
    expect(created).toEqual({
      id: expect.any(Number),
      contents: 'write tests',
      is_done: false,
      due_at: null,
      remind_at: null,
      repeat: null,
    })

    const read = await request.get(`/api/todos/${created.id}`, { headers: user.headers })
    expect(await read.json()).toEqual(created)

    const patched = await request.patch(`/api/todos/${created.id}`, { headers: user.headers, data: { is_done: true } })
    expect(patched.status()).toBe(200)
    expect(await patched.json()).toEqual({ ...created, is_done: true })
    expect(await (await request.get(`/api/todos/${created.id}`, { headers: user.headers })).json()).toEqual({
      ...created,
      is_done: true,
    })

    const renamed = await request.patch(`/api/todos/${created.id}`, {
      headers: user.headers,
      data: { contents: 'write more tests' },
    })
    expect(await renamed.json()).toEqual({ ...created, contents: 'write more tests', is_done: true })

    const deleted = await request.delete(`/api/todos/${created.id}`, { headers: user.headers })
    expect(deleted.status()).toBe(204)
    expect(await deleted.body()).toHaveLength(0)
    await expectDetail(await request.get(`/api/todos/${created.id}`, { headers: user.headers }), 404, 'ToDo Not Found')
    await expectDetail(await request.delete(`/api/todos/${created.id}`, { headers: user.headers }), 404)
  })

  test('POST takes is_done', async ({ request }) => {
    const user = await apiUser(request)
    expect((await createApiTodo(request, user, 'already done', true)).is_done).toBe(true)
  })

  test('lists by id, ascending by default, descending on request', async ({ request }) => {
    const user = await apiUser(request)
    const a = await createApiTodo(request, user, 'a')
    const b = await createApiTodo(request, user, 'b', true)
    const asc = await request.get('/api/todos', { headers: user.headers })
    expect(await asc.json()).toEqual({ todos: [a, b] })
    const descending = await request.get('/api/todos?order=DESC', { headers: user.headers })
    expect(await descending.json()).toEqual({ todos: [b, a] })
    expect(await (await request.get('/api/todos?order=desc', { headers: user.headers })).json()).toEqual({
      todos: [b, a],
    })
    await expectDetail(await request.get('/api/todos?order=sideways', { headers: user.headers }), 422, /ASC or DESC/)
  })

  test('a new user has an empty list', async ({ request }) => {
    const user = await apiUser(request)
    expect(await (await request.get('/api/todos', { headers: user.headers })).json()).toEqual({ todos: [] })
  })

  test('text round-trips exactly', async ({ request }) => {
    const user = await apiUser(request)
    const texts = [
      '가'.repeat(256),
      '😀🎉 emoji ✓',
      `quotes " ' and backslashes \\ \\n`,
      '<script>alert(1)</script>',
      "'; DROP TABLE todo; --",
      'null',
      'ｆｕｌｌｗｉｄｔｈ and combining é',
    ]
    for (const contents of texts) {
      const created = await createApiTodo(request, user, contents)
      expect(created.contents).toBe(contents)
      expect((await (await request.get(`/api/todos/${created.id}`, { headers: user.headers })).json()).contents).toBe(
        contents,
      )
    }
  })

  test('40 concurrent creates: nothing lost, distinct ids', async ({ request }) => {
    const user = await apiUser(request)
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) => createApiTodo(request, user, `concurrent ${i}`)),
    )
    const ids = new Set(created.map((t) => t.id))
    expect(ids.size).toBe(40)
    const list = (await (await request.get('/api/todos', { headers: user.headers })).json()).todos
    expect(list.map((t: { id: number }) => t.id).sort((x: number, y: number) => x - y)).toEqual(
      [...ids].sort((x, y) => x - y),
    )
  })
})

test.describe('another user’s todo does not exist', () => {
  test('GET, PATCH and DELETE answer 404 exactly like a missing todo, and change nothing', async ({ request }) => {
    const alice = await apiUser(request, 'alice')
    const bob = await apiUser(request, 'bob')
    const secret = await createApiTodo(request, alice, 'alice’s secret')

    const missingId = secret.id + 1_000_000
    for (const id of [secret.id, missingId]) {
      await expectDetail(await request.get(`/api/todos/${id}`, { headers: bob.headers }), 404, 'ToDo Not Found')
      await expectDetail(
        await request.patch(`/api/todos/${id}`, { headers: bob.headers, data: { contents: 'pwned', is_done: true } }),
        404,
        'ToDo Not Found',
      )
      await expectDetail(await request.delete(`/api/todos/${id}`, { headers: bob.headers }), 404, 'ToDo Not Found')
    }
    expect(await (await request.get('/api/todos', { headers: bob.headers })).json()).toEqual({ todos: [] })
    expect(await (await request.get(`/api/todos/${secret.id}`, { headers: alice.headers })).json()).toEqual(secret)
  })

  test('POST sets the owner to the caller, whatever the body says', async ({ request }) => {
    const alice = await apiUser(request, 'alice')
    const bob = await apiUser(request, 'bob')
    const response = await request.post('/api/todos', {
      headers: bob.headers,
      data: { contents: 'mine', user_id: alice.id, id: 1 },
    })
    const created = await response.json()
    expect(await (await request.get(`/api/todos/${created.id}`, { headers: alice.headers })).status()).toBe(404)
    expect(await (await request.get(`/api/todos/${created.id}`, { headers: bob.headers })).status()).toBe(200)
  })
})

test.describe('validation', () => {
  test('contents must be 1–256 characters after trimming', async ({ request }) => {
    const user = await apiUser(request)
    await expectDetail(await request.post('/api/todos', { headers: user.headers, data: { contents: '   ' } }), 422)
    await expectDetail(
      await request.post('/api/todos', { headers: user.headers, data: { contents: 'x'.repeat(257) } }),
      422,
      /256 characters/,
    )
    expect(await (await request.get('/api/todos', { headers: user.headers })).json()).toEqual({ todos: [] })
  })

  test('control characters get 422 (NUL is never saved); around the text they are trimmed', async ({ request }) => {
    const user = await apiUser(request)
    for (const contents of ['milk\u0000', 'buy\tmilk', 'line\nbreak', '\u001b[31mred', 'C1\u0085']) {
      await expectDetail(
        await request.post('/api/todos', { headers: user.headers, data: { contents } }),
        422,
        /"Remove control characters such as tabs and line breaks"/,
      )
    }
    const todo = await createApiTodo(request, user, '\tbuy milk\n')
    expect(todo.contents).toBe('buy milk')
    await expectDetail(
      await request.patch(`/api/todos/${todo.id}`, { headers: user.headers, data: { contents: 'x\u0000y' } }),
      422,
      /control characters/,
    )
    expect((await (await request.get('/api/todos', { headers: user.headers })).json()).todos).toEqual([todo])
  })

  test('Hangul, accents and emoji round-trip in NFC', async ({ request }) => {
    const user = await apiUser(request)
    for (const contents of ['우유 사기', 'café crème', '👩‍👩‍👧 🇰🇷 👍🏽 할 일', 'ἀρχή']) {
      const decomposed = contents.normalize('NFD')
      const created = await createApiTodo(request, user, decomposed)
      expect(created.contents).toBe(contents.normalize('NFC'))
      const read = await (await request.get(`/api/todos/${created.id}`, { headers: user.headers })).json()
      expect(read.contents).toBe(contents.normalize('NFC'))
      const patched = await request.patch(`/api/todos/${created.id}`, { headers: user.headers, data: { contents: decomposed } })
      expect((await patched.json()).contents).toBe(contents.normalize('NFC'))
    }
    // 256 characters once composed: 512 code points typed are still within the limit.
    expect((await createApiTodo(request, user, 'e\u0301'.repeat(256))).contents).toBe('\u00e9'.repeat(256))
  })

  test('wrong types, missing fields, an empty patch', async ({ request }) => {
    const user = await apiUser(request)
    const todo = await createApiTodo(request, user, 'x')
    await expectDetail(await request.post('/api/todos', { headers: user.headers, data: {} }), 422, /Field required/)
    await expectDetail(
      await request.post('/api/todos', { headers: user.headers, data: { contents: 5, is_done: 'yes' } }),
      422,
    )
    await expectDetail(
      await request.patch(`/api/todos/${todo.id}`, { headers: user.headers, data: { is_done: 'true' } }),
      422,
      /true or false/,
    )
    await expectDetail(
      await request.patch(`/api/todos/${todo.id}`, { headers: user.headers, data: {} }),
      422,
      /contents, is_done/,
    )
    expect(await (await request.get(`/api/todos/${todo.id}`, { headers: user.headers })).json()).toEqual(todo)
  })

  test('bad ids in the path get 422, not 500', async ({ request }) => {
    const user = await apiUser(request)
    for (const id of ['abc', '1.5', '-1', '0', '99999999999999999999', '%00']) {
      const response = await request.get(`/api/todos/${id}`, { headers: user.headers })
      // On the stack (npm run test:stack) nginx refuses a NUL byte in a path itself, with its own
      // 400, before any instance sees it: still a clear refusal, never a 500.
      const refusedByNginx = id === '%00' && response.headers()['server']?.startsWith('nginx')
      expect(response.status(), id).toBe(refusedByNginx ? 400 : 422)
    }
  })

  test('malformed JSON, the wrong content type, and bodies over the limit get 4xx', async ({ request }) => {
    const user = await apiUser(request)
    const json = { ...user.headers, 'Content-Type': 'application/json' }
    // Raw bytes: Playwright would JSON-encode a string body.
    const raw = (text: string) => Buffer.from(text)
    await expectDetail(await request.post('/api/todos', { headers: json, data: raw('{"contents": ') }), 422, /JSON decode/)
    await expectDetail(await request.post('/api/todos', { headers: json, data: raw('') }), 422, /JSON decode/)
    await expectDetail(await request.post('/api/todos', { headers: json, data: raw('null') }), 422)
    await expectDetail(await request.post('/api/todos', { headers: json, data: raw('[1,2]') }), 422)
    await expectDetail(await request.post('/api/todos', { headers: json, data: raw('\xff\xfe') }), 422)
    await expectDetail(
      await request.post('/api/todos', {
        headers: { ...user.headers, 'Content-Type': 'text/plain' },
        data: '{"contents":"x"}',
      }),
      415,
      'Content-Type must be application/json',
    )
    await expectDetail(
      await request.post('/api/todos', { headers: user.headers, form: { contents: 'x' } }),
      415,
    )
    await expectDetail(
      await request.post('/api/todos', { headers: json, data: raw(JSON.stringify({ contents: 'x'.repeat(20_000) })) }),
      413,
    )
    expect(await (await request.get('/api/todos', { headers: user.headers })).json()).toEqual({ todos: [] })
  })

  test('unknown API paths answer 404 in JSON', async ({ request }) => {
    await expectDetail(await request.get('/api/nothing/here'), 404, 'Not Found')
  })
})

test.describe('due dates, reminders and repeats', () => {
  const inAnHour = () => new Date(Date.now() + 3_600_000)
  const utc = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

  test('take any offset, answer in UTC with Z, and null clears', async ({ request }) => {
    const user = await apiUser(request)
    const created = await request.post('/api/todos', {
      headers: user.headers,
      data: { contents: 'call the bank', due_at: '2030-12-24T18:00:00+09:00', repeat: 'freq=weekly;byday=mo' },
    })
    expect(created.status()).toBe(201)
    const todo = await created.json()
    expect(todo).toEqual({
      id: expect.any(Number),
      contents: 'call the bank',
      is_done: false,
      due_at: '2030-12-24T09:00:00Z',
      remind_at: null,
      repeat: 'FREQ=WEEKLY;BYDAY=MO',
    })
    const remind = inAnHour()
    const patched = await request.patch(`/api/todos/${todo.id}`, {
      headers: user.headers,
      data: { remind_at: remind.toISOString() },
    })
    expect((await patched.json()).remind_at).toBe(utc(remind))
    const cleared = await request.patch(`/api/todos/${todo.id}`, {
      headers: user.headers,
      data: { due_at: null, remind_at: null, repeat: null },
    })
    expect(await cleared.json()).toEqual({ ...todo, due_at: null, remind_at: null, repeat: null })
  })

  test('422 in English for a bad date, a past reminder, a repeat without due_at, a rule outside the subset', async ({
    request,
  }) => {
    const user = await apiUser(request)
    const post = (data: object) => request.post('/api/todos', { headers: user.headers, data })
    await expectDetail(await post({ contents: 'x', due_at: 'tomorrow' }), 422, /due_at must be an RFC 3339/)
    await expectDetail(await post({ contents: 'x', due_at: '2030-02-30T09:00:00Z' }), 422, /RFC 3339/)
    await expectDetail(await post({ contents: 'x', due_at: '2030-12-24T09:00:00' }), 422, /with an offset/)
    await expectDetail(await post({ contents: 'x', remind_at: '2020-01-01T00:00:00Z' }), 422, /already passed/)
    await expectDetail(await post({ contents: 'x', repeat: 'FREQ=DAILY' }), 422, /needs a due date/)
    const hourly = await expectDetail(
      await post({ contents: 'x', due_at: '2030-12-24T09:00:00Z', repeat: 'FREQ=HOURLY' }),
      422,
      /RRULE with FREQ=DAILY/,
    )
    expect(hourly.detail[0].loc).toEqual(['body', 'repeat'])
    const todo = await createApiTodo(request, user, 'plain')
    await expectDetail(
      await request.patch(`/api/todos/${todo.id}`, { headers: user.headers, data: { repeat: 'FREQ=DAILY' } }),
      422,
      /needs a due date/,
    )
    await expectDetail(await request.get('/api/todos?due_before=soon', { headers: user.headers }), 422, /due_before/)
  })

  test('PATCH {"is_done": true} steps a repeating todo; COUNT ends it', async ({ request }) => {
    const user = await apiUser(request)
    const created = await request.post('/api/todos', {
      headers: user.headers,
      data: { contents: 'water plants', due_at: '2030-01-07T09:00:00Z', repeat: 'FREQ=DAILY;COUNT=2' },
    })
    const todo = await created.json()
    const first = await request.patch(`/api/todos/${todo.id}`, { headers: user.headers, data: { is_done: true } })
    expect(await first.json()).toEqual({ ...todo, is_done: false, due_at: '2030-01-08T09:00:00Z', repeat: 'FREQ=DAILY;COUNT=1' })
    const last = await request.patch(`/api/todos/${todo.id}`, { headers: user.headers, data: { is_done: true } })
    expect(await last.json()).toMatchObject({ is_done: true, due_at: '2030-01-08T09:00:00Z' })
  })

  test('GET /api/todos filters by due_after ≤ due_at < due_before', async ({ request }) => {
    const user = await apiUser(request)
    const make = async (due: string | null) =>
      (await request.post('/api/todos', { headers: user.headers, data: { contents: `due ${due}`, due_at: due } })).json()
    const a = await make('2030-06-01T00:00:00Z')
    const b = await make('2030-06-02T00:00:00+09:00')
    await make(null)
    const list = async (query: string) =>
      (await (await request.get(`/api/todos?${query}`, { headers: user.headers })).json()).todos.map((t: { id: number }) => t.id)
    // b is due 2030-06-01T15:00:00Z.
    expect(await list('due_before=2030-06-01T16:00:00Z')).toEqual([a.id, b.id])
    expect(await list('due_before=2030-06-01T15:00:00Z')).toEqual([a.id])
    expect(await list(`due_after=${encodeURIComponent('2030-06-02T00:00:00+09:00')}`)).toEqual([b.id])
    expect(await list('due_after=2030-05-31T00:00:00Z&due_before=2030-06-01T00:00:00Z')).toEqual([])
  })
})
