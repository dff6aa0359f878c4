// Pages for getting in, never worth returning to once in (a reset link would be used up by then).
const AUTH_PAGES = new Set(['/login', '/signup', '/forgot-password', '/reset-password'])

/**
 * The in-app path to return to after log-in, or `fallback`. Only same-origin absolute paths pass:
 * `//evil.example`, `/\evil.example` and full URLs would turn the log-in page into an open redirect.
 */
export function safeReturnPath(candidate: unknown, fallback = '/todos'): string {
  const path = sameOriginPath(candidate)
  if (path === null) return fallback
  const { pathname } = new URL(path, 'http://localhost')
  if (AUTH_PAGES.has(pathname)) return fallback
  return path
}

/**
 * The page to come back to after a choice made on it (a language, a theme), the log-in and sign-up
 * pages included; `fallback` for anything that is not a same-origin path.
 */
export function samePagePath(candidate: unknown, fallback = '/'): string {
  return sameOriginPath(candidate) ?? fallback
}

function sameOriginPath(candidate: unknown): string | null {
  if (typeof candidate !== 'string' || candidate.length > 2048) return null
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return null
  // Control characters (tabs, newlines) are dropped by URL parsers and can smuggle a second slash.
  if (/[\u0000-\u001f\u007f]/.test(candidate)) return null
  const url = new URL(candidate, 'http://localhost')
  if (url.origin !== 'http://localhost') return null
  return url.pathname + url.search + url.hash
}
