// The headers every response carries (next.config.mjs sets them on what Next answers; the live
// stream, which server.mjs serves itself, sets them too: server/live/serve.ts). The pages'
// Content-Security-Policy carries a per-request nonce, so it is set in server/page-guard.mjs; the
// JSON API gets a policy that allows nothing at all.

/** @param {boolean} production HSTS only in production: a browser remembers it for two years. */
export function securityHeaders(production) {
  return [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'same-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    ...(production ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
  ]
}

/** The JSON API's policy: it serves no page, so nothing may load or frame it. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
