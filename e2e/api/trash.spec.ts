import { expect, test } from '@playwright/test'
import { apiUser, createApiTodo, expectDetail } from './client'

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

test.describe('the trash routes', () => {
  test('a deleted todo waits in the trash, newest first, and comes back in its place', async ({ request }) => {
    const user = await apiUser(request)
    const a = await createApiTodo(request, user, 'a')
    const b = await createApiTodo(request, user, 'b', true)
    const c = await createApiTodo(request, user, 'c')
    const empty = await request.get('/api/trash', { headers: user.headers })
    expect(empty.status()).toBe(200)
    expect(await empty.json()).toEqual({ todos: [] })

    for (const todo of [a, b]) expect((await request.delete(`/api/todos/${todo.id}`, { headers: user.headers })).status()).toBe(204)
    expect(await (await request.get('/api/todos', { headers: user.headers })).json()).toEqual({ todos: [c] })
    await expectDetail(await request.get(`/api/todos/${a.id}`, { headers: user.headers }), 404, 'ToDo Not Found')
    await expectDetail(await request.patch(`/api/todos/${a.id}`, { headers: user.headers, data: { is_done: true } }), 404)

    const trash = (await (await request.get('/api/trash', { headers: user.headers })).json()) as { todos: { id: number; deleted_at: string }[] }
    // Newest first: b was deleted after a (the same second orders by id, newest first too).
    expect(trash.todos.map((todo) => todo.id)).toEqual([b.id, a.id])
    expect(trash.todos[0]).toEqual({ ...b, deleted_at: expect.stringMatching(INSTANT) })

    const restored = await request.post(`/api/trash/${a.id}/restore`, { headers: user.headers })
    expect(restored.status()).toBe(200)
    expect(await restored.json()).toEqual(a)
    expect(await (await request.get('/api/todos', { headers: user.headers })).json()).toEqual({ todos: [a, c] })
    await expectDetail(await request.post(`/api/trash/${a.id}/restore`, { headers: user.headers }), 404, 'ToDo Not Found')
  })

  test('deletes one for good, or empties the trash', async ({ request }) => {
    const user = await apiUser(request)
    const todos = [await createApiTodo(request, user, 'x'), await createApiTodo(request, user, 'y'), await createApiTodo(request, user, 'z')]
    for (const todo of todos) await request.delete(`/api/todos/${todo.id}`, { headers: user.headers })

    // A live todo is not in the trash: 404, and it stays.
    const live = await createApiTodo(request, user, 'live')
    await expectDetail(await request.delete(`/api/trash/${live.id}`, { headers: user.headers }), 404, 'ToDo Not Found')

    const purged = await request.delete(`/api/trash/${todos[0]!.id}`, { headers: user.headers })
    expect(purged.status()).toBe(204)
    expect(await purged.body()).toHaveLength(0)
    await expectDetail(await request.delete(`/api/trash/${todos[0]!.id}`, { headers: user.headers }), 404)
    await expectDetail(await request.post(`/api/trash/${todos[0]!.id}/restore`, { headers: user.headers }), 404)

    const emptied = await request.delete('/api/trash', { headers: user.headers })
    expect(emptied.status()).toBe(204)
    expect(await (await request.get('/api/trash', { headers: user.headers })).json()).toEqual({ todos: [] })
    expect(await (await request.get('/api/todos', { headers: user.headers })).json()).toEqual({ todos: [live] })
    expect((await request.delete('/api/trash', { headers: user.headers })).status()).toBe(204) // empty already
  })

  test('needs a token, validates the id, and hides another user’s trash', async ({ request }) => {
    const alice = await apiUser(request)
    const bob = await apiUser(request)
    const hers = await createApiTodo(request, alice, 'hers')
    await request.delete(`/api/todos/${hers.id}`, { headers: alice.headers })

    for (const [method, path] of [
      ['GET', '/api/trash'],
      ['DELETE', '/api/trash'],
      ['DELETE', `/api/trash/${hers.id}`],
      ['POST', `/api/trash/${hers.id}/restore`],
    ] as const) {
      const response = await request.fetch(path, { method })
      await expectDetail(response, 401, 'Not Authorized')
      expect(response.headers()['www-authenticate']).toBe('Bearer')
    }
    await expectDetail(await request.delete('/api/trash/abc', { headers: bob.headers }), 422)
    await expectDetail(await request.post('/api/trash/0/restore', { headers: bob.headers }), 422)

    expect(await (await request.get('/api/trash', { headers: bob.headers })).json()).toEqual({ todos: [] })
    await expectDetail(await request.post(`/api/trash/${hers.id}/restore`, { headers: bob.headers }), 404, 'ToDo Not Found')
    await expectDetail(await request.delete(`/api/trash/${hers.id}`, { headers: bob.headers }), 404, 'ToDo Not Found')
    expect((await request.delete('/api/trash', { headers: bob.headers })).status()).toBe(204)
    const still = (await (await request.get('/api/trash', { headers: alice.headers })).json()) as { todos: { id: number }[] }
    expect(still.todos.map((todo) => todo.id)).toEqual([hers.id])
  })
})
