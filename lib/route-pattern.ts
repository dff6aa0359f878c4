// Route labels for metrics: a request's path reduced to the route that serves it (`/api/todos/12`
// → `/api/todos/:id`), so that a label has as many values as the app has routes, never one per URL.

type DynamicRoute = { label: string; pattern: RegExp; rank: number }

/** Next's route (`/api/todos/[id]`, `/api/[...path]`) as a label (`/api/todos/:id`, `/api/*path`). */
export function routeLabel(route: string): string {
  return route
    .replace(/\[\[\.\.\.([^\]]+)\]\]/g, '*$1?')
    .replace(/\[\.\.\.([^\]]+)\]/g, '*$1')
    .replace(/\[([^\]]+)\]/g, ':$1')
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function compile(route: string): DynamicRoute {
  let rank = 0
  const source = route
    .split('/')
    .map((segment, i) => {
      if (i === 0) return ''
      if (/^\[\[\.\.\..+\]\]$/.test(segment)) return (rank += 100), '(?:/.*)?'
      if (/^\[\.\.\..+\]$/.test(segment)) return (rank += 100), '/.+'
      if (/^\[.+\]$/.test(segment)) return (rank += 1), '/[^/]+'
      return `/${escape(segment)}`
    })
    .join('')
  return { label: routeLabel(route), pattern: new RegExp(`^${source}$`), rank }
}

/**
 * A function from a request path (no query string) to its route label: one of `routes` (Next's
 * app routes, e.g. from `.next/app-path-routes-manifest.json`), `/_next/static` and the like for
 * Next's own files, or `unmatched`. Static routes win over dynamic ones, catch-alls come last.
 */
export function routeMatcher(routes: readonly string[]): (pathname: string) => string {
  const exact = new Set(routes.filter((route) => !route.includes('[')))
  const dynamic = routes
    .filter((route) => route.includes('['))
    .map(compile)
    .sort((a, b) => a.rank - b.rank)
  return (pathname) => {
    const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname
    if (exact.has(path)) return path
    if (path.startsWith('/_next/')) {
      const [, , area] = path.split('/')
      return area === 'static' || area === 'image' || area === 'data' ? `/_next/${area}` : '/_next'
    }
    return dynamic.find((route) => route.pattern.test(path))?.label ?? 'unmatched'
  }
}
