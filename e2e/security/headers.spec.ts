import { expect, test } from '../fixtures'

test.describe('security headers', () => {
  test('pages: a nonce-based CSP (fresh per response), no framing, and the rest', async ({ request }) => {
    const first = await request.get('/login')
    const second = await request.get('/login')
    const policy = first.headers()['content-security-policy'] ?? ''
    expect(policy).toMatch(/script-src 'self' 'nonce-[\w+/=]+' 'strict-dynamic'/)
    expect(policy).not.toContain('unsafe-inline')
    expect(policy).not.toContain('unsafe-eval')
    expect(policy).toContain("frame-ancestors 'none'")
    expect(policy).toContain("object-src 'none'")
    const nonceOf = (value: string) => /'nonce-([\w+/=]+)'/.exec(value)?.[1]
    expect(nonceOf(policy)).not.toBe(nonceOf(second.headers()['content-security-policy'] ?? ''))

    // Every inline script Next.js rendered carries that nonce.
    const html = await first.text()
    const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1] ?? '')
    expect(scripts.length).toBeGreaterThan(0)
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonceOf(policy)}"`)

    for (const response of [first, await request.get('/api/health')]) {
      expect(response.headers()).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
        'x-frame-options': 'DENY',
      })
      expect(response.headers()['permissions-policy']).toContain('camera=()')
    }
  })

  test('the JSON API: a policy that allows nothing', async ({ request }) => {
    const response = await request.get('/api/health')
    expect(response.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
  })

  test('the pages run under their CSP: no violation while using the app', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
    })
    for (const path of ['/todos', '/account', '/api-docs', '/no-such-page']) await page.goto(path)
    await page.goto('/todos')
    await page.getByLabel('What needs to be done?').fill('under CSP')
    await page.getByLabel('What needs to be done?').press('Enter')
    await expect(page.getByRole('checkbox', { name: 'under CSP' })).toBeVisible()
    expect(violations).toEqual([])
  })
})

test.describe('cross-site requests', () => {
  test('a server action posted from another origin is refused and changes nothing', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    let action: { headers: Record<string, string>; body: string } | undefined
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.headers()['next-action']) {
        action = { headers: request.headers(), body: request.postData() ?? '' }
      }
    })
    await page.getByLabel('What needs to be done?').fill('legit')
    await page.getByLabel('What needs to be done?').press('Enter')
    await expect(page.getByRole('checkbox', { name: 'legit' })).toBeVisible()
    expect(action).toBeDefined()

    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
    for (const extra of [{}, { 'x-forwarded-host': 'evil.example' }] as Record<string, string>[]) {
      const response = await page.request.post('/todos', {
        headers: { ...action!.headers, cookie, origin: 'https://evil.example', ...extra },
        data: action!.body.replace('legit', 'forged'),
      })
      expect(response.status()).toBe(403)
    }
    await page.reload()
    await expect(page.getByText('forged')).toHaveCount(0)
  })

  test('JSON routes on the session cookie refuse text/plain and form bodies', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    // page.request shares the browser's cookies: the API sees the session, as a cross-site form would.
    const plain = await page.request.post('/api/todos', {
      headers: { 'content-type': 'text/plain' },
      data: '{"contents":"via text/plain"}',
    })
    expect(plain.status()).toBe(415)
    const form = await page.request.post('/api/todos', { form: { contents: 'via a form' } })
    expect(form.status()).toBe(415)
    const list = await page.request.get('/api/todos')
    expect(list.status()).toBe(200)
    expect((await list.json()).todos).toEqual([])
  })

  test('a spoofed x-middleware-subrequest header does not skip the session check', async ({ request }) => {
    const response = await request.get('/todos', {
      headers: { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
      maxRedirects: 0,
    })
    expect(response.status()).toBe(307)
    expect(response.headers().location).toMatch(/\/login/)
  })
})
