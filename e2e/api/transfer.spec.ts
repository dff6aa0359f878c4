import { expect, test } from '@playwright/test'
import { apiUser, createApiTodo, expectDetail } from './client'

const TODAY = /^attachment; filename="todos-\d{4}-\d{2}-\d{2}\.(json|csv)"$/

test.describe('export and import', () => {
  test('GET /api/export: a JSON attachment with the todos, every field, UTC instants', async ({ request }) => {
    const user = await apiUser(request, 'exp')
    await createApiTodo(request, user, '우유 사기, "저지방"')
    const response = await request.get('/api/export', { headers: user.headers })
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toMatch(/^application\/json/)
    expect(response.headers()['content-disposition']).toMatch(TODAY)
    expect(response.headers()['cache-control']).toContain('no-store')
    const body = await response.json()
    expect(body).toMatchObject({ version: 1, user: { username: user.username, time_zone: 'UTC' }, trash: [] })
    expect(body.todos).toEqual([
      {
        id: expect.any(Number),
        contents: '우유 사기, "저지방"',
        is_done: false,
        due_at: null,
        remind_at: null,
        repeat: null,
        created_at: expect.stringMatching(/Z$/),
        updated_at: expect.stringMatching(/Z$/),
      },
    ])
  })

  test('GET /api/export?format=csv: UTF-8 with a BOM, CRLF, the header row', async ({ request }) => {
    const user = await apiUser(request, 'expcsv')
    await createApiTodo(request, user, '김치, "매운"', true)
    const response = await request.get('/api/export?format=csv', { headers: user.headers })
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toMatch(/^text\/csv; charset=utf-8/)
    expect(response.headers()['content-disposition']).toMatch(/\.csv"$/)
    const bytes = await response.body()
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.subarray(3).toString('utf8')
    const lines = text.split('\r\n')
    expect(lines[0]).toBe('id,contents,is_done,due_at,remind_at,repeat,created_at,updated_at')
    expect(lines[1]).toMatch(/^\d+,"김치, ""매운""",true,,,,\S+Z,\S+Z$/)
    expect(lines[2]).toBe('')
  })

  test('401 without a token, 422 for an unknown format', async ({ request }) => {
    await expectDetail(await request.get('/api/export'), 401, 'Not Authorized')
    await expectDetail(await request.post('/api/import', { data: { todos: [] } }), 401, 'Not Authorized')
    const user = await apiUser(request, 'expfmt')
    await expectDetail(await request.get('/api/export?format=xml', { headers: user.headers }), 422)
  })

  test('POST /api/import: JSON, CSV and a multipart file; the same export twice adds nothing', async ({ request }) => {
    const source = await apiUser(request, 'imps')
    await createApiTodo(request, source, 'one')
    await createApiTodo(request, source, 'two', true)
    const exported = await (await request.get('/api/export', { headers: source.headers })).text()

    const target = await apiUser(request, 'impt')
    const first = await request.post('/api/import', {
      headers: { ...target.headers, 'Content-Type': 'application/json' },
      data: exported,
    })
    expect(first.status()).toBe(201)
    expect(await first.json()).toEqual({ imported: 2, skipped: 0 })
    const again = await request.post('/api/import', {
      headers: target.headers,
      multipart: { file: { name: 'todos.json', mimeType: 'application/json', buffer: Buffer.from(exported) } },
    })
    expect(await again.json()).toEqual({ imported: 0, skipped: 2 })

    const csv = await request.post('/api/import', {
      headers: { ...target.headers, 'Content-Type': 'text/csv' },
      data: '\uFEFFContents,is_done\r\n"세 번째, 할 일",yes\r\n',
    })
    expect(await csv.json()).toEqual({ imported: 1, skipped: 0 })
    const list = await (await request.get('/api/todos', { headers: target.headers })).json()
    expect(list.todos.map((t: { contents: string; is_done: boolean }) => [t.contents, t.is_done])).toEqual([
      ['one', false],
      ['two', true],
      ['세 번째, 할 일', true],
    ])
  })

  test('422 names the bad rows and saves nothing; 413 past 2 MiB; 415 for other types', async ({ request }) => {
    const user = await apiUser(request, 'impbad')
    const bad = await request.post('/api/import', {
      headers: { ...user.headers, 'Content-Type': 'text/csv' },
      data: 'contents,repeat\nfine,\n,\nno due,FREQ=DAILY\n',
    })
    const body = await expectDetail(bad, 422)
    expect(body.detail).toEqual([
      { type: 'value_error', loc: ['todos', 2, 'contents'], msg: 'Enter what needs to be done' },
      { type: 'value_error', loc: ['todos', 3, 'repeat'], msg: 'A repeating todo needs a due date' },
    ])
    expect((await (await request.get('/api/todos', { headers: user.headers })).json()).todos).toEqual([])

    const tooMany = `contents\n${Array.from({ length: 5_001 }, (_, i) => `t${i}`).join('\n')}\n`
    await expectDetail(
      await request.post('/api/import', { headers: { ...user.headers, 'Content-Type': 'text/csv' }, data: tooMany }),
      422,
      /at most 5,000/,
    )
    const huge = `contents\n${'x'.repeat(2 * 1024 * 1024)}\n`
    await expectDetail(
      await request.post('/api/import', { headers: { ...user.headers, 'Content-Type': 'text/csv' }, data: huge }),
      413,
    )
    await expectDetail(
      await request.post('/api/import', {
        headers: user.headers,
        multipart: { file: { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(huge) } },
      }),
      413,
    )
    await expectDetail(
      await request.post('/api/import', { headers: { ...user.headers, 'Content-Type': 'text/plain' }, data: 'contents\nx\n' }),
      415,
    )
  })
})
