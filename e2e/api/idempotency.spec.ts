import { randomUUID } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { apiUser, createApiTodo, expectDetail, type ApiTodo } from './client'

const withKey = (headers: Record<string, string>, key: string) => ({ ...headers, 'Idempotency-Key': key })

test.describe('Idempotency-Key on the API\'s writes', () => {
  test('a POST sent again with its key answers the same (status, body, id) and adds one todo', async ({ request }) => {
    const user = await apiUser(request)
    const key = randomUUID()
    const first = await request.post('/api/todos', { headers: withKey(user.headers, key), data: { contents: 'Renew passport' } })
    expect(first.status()).toBe(201)
    expect(first.headers()['idempotent-replayed']).toBeUndefined()
    const created = (await first.json()) as ApiTodo
    // Three more at once and one after: every answer is the first one.
    const again = await Promise.all(
      Array.from({ length: 4 }, () => request.post('/api/todos', { headers: withKey(user.headers, key), data: { contents: 'Renew passport' } })),
    )
    for (const response of again) {
      expect(response.status()).toBe(201)
      expect(await response.json()).toEqual(created)
      expect(response.headers()['idempotent-replayed']).toBe('true')
    }
    const list = (await (await request.get('/api/todos', { headers: user.headers })).json()) as { todos: ApiTodo[] }
    expect(list.todos).toEqual([created])
  })

  test('concurrent first sends of one key create one todo', async ({ request }) => {
    const user = await apiUser(request)
    const key = randomUUID()
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => request.post('/api/todos', { headers: withKey(user.headers, key), data: { contents: 'once' } })),
    )
    const bodies = await Promise.all(answers.map(async (response) => [response.status(), await response.json()] as const))
    expect(new Set(bodies.map(([status, body]) => `${status}:${(body as ApiTodo).id}`)).size).toBe(1)
    expect(((await (await request.get('/api/todos', { headers: user.headers })).json()) as { todos: ApiTodo[] }).todos).toHaveLength(1)
  })

  test('the same key with a different request is a 422 and changes nothing', async ({ request }) => {
    const user = await apiUser(request)
    const key = randomUUID()
    const created = (await (await request.post('/api/todos', { headers: withKey(user.headers, key), data: { contents: 'a' } })).json()) as ApiTodo
    await expectDetail(
      await request.post('/api/todos', { headers: withKey(user.headers, key), data: { contents: 'b' } }),
      422,
      /already used for a different request/,
    )
    await expectDetail(await request.delete(`/api/todos/${created.id}`, { headers: withKey(user.headers, key) }), 422, /Idempotency-Key/)
    expect(((await (await request.get('/api/todos', { headers: user.headers })).json()) as { todos: ApiTodo[] }).todos).toEqual([created])
  })

  test('a key that is not a UUID is a 422 naming the header, never a 500', async ({ request }) => {
    const user = await apiUser(request)
    for (const key of ['nope', '12345678-1234-1234-1234-12345678901Z', 'x'.repeat(300), ' ']) {
      const body = await expectDetail(
        await request.post('/api/todos', { headers: withKey(user.headers, key), data: { contents: 'a' } }),
        422,
        /UUID/,
      )
      expect(body.detail[0].loc).toEqual(['header', 'Idempotency-Key'])
    }
    expect(((await (await request.get('/api/todos', { headers: user.headers })).json()) as { todos: ApiTodo[] }).todos).toEqual([])
  })

  test('PATCH, DELETE and the trash replay their first answer', async ({ request }) => {
    const user = await apiUser(request)
    const todo = await createApiTodo(request, user, 'water plants')
    const patchKey = randomUUID()
    const patched = await request.patch(`/api/todos/${todo.id}`, { headers: withKey(user.headers, patchKey), data: { is_done: true } })
    expect(patched.status()).toBe(200)
    // Changed since by another request: the replay neither redoes the patch nor answers today's state.
    await request.patch(`/api/todos/${todo.id}`, { headers: user.headers, data: { is_done: false, contents: 'water the plants' } })
    const replayed = await request.patch(`/api/todos/${todo.id}`, { headers: withKey(user.headers, patchKey), data: { is_done: true } })
    expect(replayed.status()).toBe(200)
    expect(await replayed.json()).toEqual(await patched.json())
    expect(await (await request.get(`/api/todos/${todo.id}`, { headers: user.headers })).json()).toMatchObject({ is_done: false })

    const deleteKey = randomUUID()
    expect((await request.delete(`/api/todos/${todo.id}`, { headers: withKey(user.headers, deleteKey) })).status()).toBe(204)
    const deletedAgain = await request.delete(`/api/todos/${todo.id}`, { headers: withKey(user.headers, deleteKey) })
    expect(deletedAgain.status()).toBe(204) // not 404: the first answer
    expect(deletedAgain.headers()['idempotent-replayed']).toBe('true')

    const restoreKey = randomUUID()
    const restored = await request.post(`/api/trash/${todo.id}/restore`, { headers: withKey(user.headers, restoreKey) })
    expect(restored.status()).toBe(200)
    const restoredAgain = await request.post(`/api/trash/${todo.id}/restore`, { headers: withKey(user.headers, restoreKey) })
    expect(restoredAgain.status()).toBe(200)
    expect(await restoredAgain.json()).toEqual(await restored.json())

    // A 404 is an answer too: the same key gets it again, even once the todo is in the trash.
    const purgeKey = randomUUID()
    await expectDetail(await request.delete(`/api/trash/${todo.id}`, { headers: withKey(user.headers, purgeKey) }), 404, 'ToDo Not Found')
    expect((await request.delete(`/api/todos/${todo.id}`, { headers: user.headers })).status()).toBe(204)
    await expectDetail(await request.delete(`/api/trash/${todo.id}`, { headers: withKey(user.headers, purgeKey) }), 404, 'ToDo Not Found')
    const emptyKey = randomUUID()
    expect((await request.delete('/api/trash', { headers: withKey(user.headers, emptyKey) })).status()).toBe(204)
    expect((await request.delete('/api/trash', { headers: withKey(user.headers, emptyKey) })).status()).toBe(204)
  })

  test('keys belong to their user: the same key from someone else is their own change', async ({ request }) => {
    const [alice, bob] = [await apiUser(request), await apiUser(request)]
    const key = randomUUID()
    const a = await request.post('/api/todos', { headers: withKey(alice.headers, key), data: { contents: 'alice' } })
    const b = await request.post('/api/todos', { headers: withKey(bob.headers, key), data: { contents: 'bob' } })
    expect([a.status(), b.status()]).toEqual([201, 201])
    expect(((await b.json()) as ApiTodo).contents).toBe('bob')
  })
})
