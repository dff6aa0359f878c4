/**
 * The names of Auth.js's session cookie: `authjs.session-token`, `__Secure-` prefixed in production,
 * split into `.0`, `.1`… chunks when too long for one cookie.
 */
export const SESSION_COOKIE_NAME = /^(__Secure-)?authjs\.session-token(\.\d+)?$/
