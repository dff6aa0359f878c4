/**
 * Error digests the server sets on purpose and the error page recognises. Next.js forwards an
 * error's digest to the client untouched while it strips the message, so this is how a page learns
 * "the database is unavailable" without leaking details. Safe to import on both sides.
 */
export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE'
/** An account wrote faster than RATE_WRITES_PER_USER_PER_MINUTE allows: the page says to slow down. */
export const TOO_MANY_WRITES = 'TOO_MANY_WRITES'
