import { randomBytes } from 'node:crypto'
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test'
import { uniqueUsername, PASSWORD } from '../fixtures'
import { secret } from '../secrets'

export type ApiUser = { id: number; username: string; token: string; headers: Record<string, string> }

/** Signs up and logs in through the API, as a client of the original service would. */
export async function apiUser(request: APIRequestContext, prefix = 'api'): Promise<ApiUser> {
  const username = uniqueUsername(prefix)
  const signUp = await request.post('/api/users/sign-up', { data: { username, password: PASSWORD } })
  expect(signUp.status()).toBe(201)
  const { id } = await signUp.json()
  const logIn = await request.post('/api/users/log-in', { data: { username, password: PASSWORD } })
  expect(logIn.status()).toBe(200)
  const token = secret((await logIn.json()).access_token as string)
  return { id, username, token, headers: { Authorization: `Bearer ${token}` } }
}

export async function createApiTodo(request: APIRequestContext, user: ApiUser, contents: string, isDone?: boolean) {
  const response = await request.post('/api/todos', {
    headers: user.headers,
    data: isDone === undefined ? { contents } : { contents, is_done: isDone },
  })
  expect(response.status()).toBe(201)
  return (await response.json()) as ApiTodo
}

export type ApiTodo = {
  id: number
  contents: string
  is_done: boolean
  due_at: string | null
  remind_at: string | null
  repeat: string | null
}

/** Asserts a FastAPI-shaped error: `{"detail": "..."}` or `{"detail": [{loc, msg, type}]}`. */
export async function expectDetail(response: APIResponse, status: number, detail?: string | RegExp) {
  expect(response.status(), await response.text()).toBe(status)
  const body = await response.json()
  if (typeof detail === 'string') expect(body).toEqual({ detail })
  else if (detail) expect(JSON.stringify(body.detail)).toMatch(detail)
  if (status === 422) {
    expect(body.detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc: expect.any(Array), msg: expect.any(String) })]),
    )
  }
  return body
}

export const randomText = () => randomBytes(6).toString('hex')
