import { describe, expect, it } from 'vitest'
import { routeLabel, routeMatcher } from './route-pattern'

const routes = ['/', '/login', '/todos', '/api/todos', '/api/todos/[id]', '/api/todos/export', '/api/[...path]', '/docs/[[...slug]]']

describe('routeMatcher', () => {
  const match = routeMatcher(routes)

  it('keeps static routes and reduces dynamic segments to their names', () => {
    expect(match('/todos')).toBe('/todos')
    expect(match('/todos/')).toBe('/todos')
    expect(match('/api/todos/42')).toBe('/api/todos/:id')
    expect(match('/api/todos/export')).toBe('/api/todos/export')
  })

  it('sends catch-alls last and anything else to one label', () => {
    expect(match('/api/nothing/here')).toBe('/api/*path')
    expect(match('/api/todos/42/extra')).toBe('/api/*path')
    expect(match('/docs')).toBe('/docs/*slug?')
    expect(match('/docs/a/b')).toBe('/docs/*slug?')
    expect(match('/wp-admin.php')).toBe('unmatched')
    expect(match('/login/../../etc')).toBe('unmatched')
  })

  it("groups Next's own files", () => {
    expect(match('/_next/static/chunks/abc123.js')).toBe('/_next/static')
    expect(match('/_next/image')).toBe('/_next/image')
    expect(match('/_next/whatever')).toBe('/_next')
  })

  it('gives as many labels as routes, whatever the paths', () => {
    const labels = new Set(Array.from({ length: 500 }, (_, i) => match(`/api/todos/${i}`)))
    expect([...labels]).toEqual(['/api/todos/:id'])
  })
})

describe('routeLabel', () => {
  it('writes segments as a Prometheus user would expect', () => {
    expect(routeLabel('/api/trash/[id]')).toBe('/api/trash/:id')
    expect(routeLabel('/api/[...path]')).toBe('/api/*path')
  })
})
