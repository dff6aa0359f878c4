import 'server-only'

// Every Redis key the app uses is built here, so that their shapes (and collisions) are in one place.
// The connection adds the deployment's prefix (REDIS_PREFIX) in front of each.
//
// Redis Cluster: keys that one script or MULTI touches together must hash to one slot, so every
// per-user key carries the user's hash tag `{u:<id>}` (only the part inside the braces is hashed).
// No script or transaction spans two users, nor a user and a global key (docs/decisions/0017).

/** The hash tag of one user's keys: their cache version, cached views, codes and channel share a slot. */
export const userTag = (userId: number) => `{u:${userId}}`

export const keys = {
  /**
   * Bumped when an instance missed more invalidations than it could remember (Redis unreachable
   * during the writes): voids every cached entry. Read on its own, never in a script.
   */
  cacheEpoch: () => 'cache:epoch',
  /** Bumped on every write to one user's todos or sessions: views stamped with an older version are never read again. */
  userVersion: (userId: number) => `cache:v:${userTag(userId)}`,
  /** One cached view of one user (a page of the list, the API's list, a session's record), stamped with the epoch and version it was read under. */
  userView: (userId: number, view: string) => `cache:view:${userTag(userId)}:${view}`,
  /** The user's pending email code: its HMAC, the address it was sent to, wrong tries so far. */
  otp: (userId: number) => `otp:code:${userTag(userId)}`,
  /** Present while the user must wait before asking for another code. */
  otpCooldown: (userId: number) => `otp:cooldown:${userTag(userId)}`,
  /** How many codes the user asked for in the current hour. */
  otpHourly: (userId: number) => `otp:hourly:${userTag(userId)}`,
  /**
   * The prefix of one rate limit's counters, e.g. 'login-user' (rate-limiter-flexible adds
   * `:<subject>`). Not `rate:`, where the old limiter kept sorted sets: a counter there would meet
   * WRONGTYPE until they expired.
   */
  rateLimit: (limit: string) => `limit:${limit}`,
}

/** Channels are named whole, REDIS_PREFIX included (subscriber connections add no prefix). */
export const channels = {
  /** Events of one user's data; in that user's slot, for sharded pub/sub on a cluster. */
  userEvents: (prefix: string, userId: number) => `${prefix}:events:${userTag(userId)}`,
}
