/**
 * The in-app path to return to after log-in, or `fallback`. Only same-origin absolute paths pass:
 * `//evil.example`, `/\evil.example` and full URLs would turn the log-in page into an open redirect.
 */
export function safeReturnPath(candidate: unknown, fallback = '/todos'): string {
  if (typeof candidate !== 'string' || candidate.length > 2048) return fallback
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return fallback
  // Control characters (tabs, newlines) are dropped by URL parsers and can smuggle a second slash.
  if (/[\u0000-\u001f\u007f]/.test(candidate)) return fallback
  const url = new URL(candidate, 'http://localhost')
  if (url.origin !== 'http://localhost') return fallback
  if (url.pathname === '/login' || url.pathname === '/signup') return fallback
  return url.pathname + url.search + url.hash
}
