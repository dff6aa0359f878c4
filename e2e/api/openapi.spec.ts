import { expect, test } from '../fixtures'

const ROUTES = {
  '/api/health': ['get'],
  '/api/users/sign-up': ['post'],
  '/api/users/log-in': ['post'],
  '/api/users/me': ['get', 'patch'],
  '/api/users/email/otp': ['post'],
  '/api/users/email/otp/verify': ['post'],
  '/api/users/password/forgot': ['post'],
  '/api/users/password/reset': ['post'],
  '/api/todos': ['get', 'post'],
  '/api/todos/{id}': ['get', 'patch', 'delete'],
  '/api/export': ['get'],
  '/api/import': ['post'],
  '/api/trash': ['get', 'delete'],
  '/api/trash/{id}': ['delete'],
  '/api/trash/{id}/restore': ['post'],
}

type Document = {
  openapi: string
  paths: Record<string, Record<string, { security: Record<string, string[]>[] }>>
}

test.describe('the OpenAPI document', () => {
  test('is public JSON, OpenAPI 3.1, with every route', async ({ request }) => {
    const response = await request.get('/api/openapi.json')
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toMatch(/^application\/json/)
    expect(response.headers()['cache-control']).toBe('public, max-age=300')
    const document = (await response.json()) as Document
    expect(document.openapi).toBe('3.1.0')
    for (const [path, methods] of Object.entries(ROUTES)) {
      expect(Object.keys(document.paths[path] ?? {}).sort(), path).toEqual([...methods].sort())
    }
  })

  test('asks for a token exactly where the server does', async ({ request }) => {
    const document = (await (await request.get('/api/openapi.json')).json()) as Document
    let checked = 0
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (operation.security.length === 0) continue
        const data = method === 'post' || method === 'patch' ? { contents: 'x' } : undefined
        const response = await request.fetch(path.replace('{id}', '1'), { method, data })
        expect(response.status(), `${method} ${path}`).toBe(401)
        expect(response.headers()['www-authenticate']).toBe('Bearer')
        checked++
      }
    }
    expect(checked).toBe(15) // with the export, import and trash routes
  })
})

test.describe('the API docs page', () => {
  test('renders the document for a signed-in user', async ({ page, signedIn }) => {
    expect(signedIn.username).toBeTruthy()
    await page.goto('/api-docs')
    await expect(page).toHaveTitle(/^API/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('API')
    await expect(page.getByRole('link', { name: /openapi\.json/ })).toHaveAttribute('href', '/api/openapi.json')
    await expect(page.getByRole('heading', { name: 'POST /api/todos', exact: true })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'DELETE /api/todos/{id}', exact: true })).toBeVisible()
    // The request body of POST /api/todos, from the Zod schema.
    const create = page.getByRole('region', { name: 'POST /api/todos', exact: true })
    await expect(create.getByRole('rowheader', { name: /contents/ })).toContainText('required')
    await expect(create.getByRole('rowheader', { name: /is_done/ })).toContainText('optional')
    await expect(create.getByText('1–256 characters')).toBeVisible()
    await expect(create.getByRole('rowheader', { name: '413' })).toBeVisible()
  })

  test('sends visitors without a session to the log-in page', async ({ page }) => {
    await page.goto('/api-docs')
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fapi-docs$/)
  })
})
