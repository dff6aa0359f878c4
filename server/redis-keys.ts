import 'server-only'
import { env } from './env'

// Every Redis key the app uses is built here, so that their shapes (and collisions) are in one place.
// The connection adds the deployment's prefix (REDIS_PREFIX) in front of each.
export const keys = {
  /** Bumped to void every cached entry, after Redis was unreachable during a write. */
  cacheEpoch: () => 'cache:epoch',
  /** Bumped on every write to one user's todos or sessions: views under older versions are never read again. */
  userVersion: (userId: number) => `cache:v:${userId}`,
  /** One cached view of one user at one version: a page of the list, the API's list, a session's record. */
  userView: (epoch: string, userId: number, version: string, view: string) =>
    `cache:view:${epoch}:${userId}:${version}:${view}`,
  /** The user's pending email code: its HMAC, the address it was sent to, wrong tries so far. */
  otp: (userId: number) => `otp:code:${userId}`,
  /** Present while the user must wait before asking for another code. */
  otpCooldown: (userId: number) => `otp:cooldown:${userId}`,
  /** How many codes the user asked for in the current hour. */
  otpHourly: (userId: number) => `otp:hourly:${userId}`,
  /** One sliding window of a rate limit, e.g. ('login-user', 'alice'). */
  rateLimit: (limit: string, subject: string) => `rate:${limit}:${subject}`,
}

// Pub/sub channels are not keys: the connection's prefix does not apply, so it is written here.
export const channels = {
  /** Where every write to one user's todos or sessions is announced: `{"version":N}` (server/live). */
  userEvents: (userId: number) => `${env.REDIS_PREFIX}:events:{u:${userId}}`,
}
