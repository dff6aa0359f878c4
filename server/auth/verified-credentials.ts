import 'server-only'
import { LRUCache } from 'lru-cache'

/** What a full verification proved, and until when (epoch milliseconds) it holds. */
export type Verified<T> = { claims: T; expiresAt: number }

/**
 * Remembers the claims of credentials (API tokens, session cookies) this process has verified in
 * full, keyed by the exact credential string, until the credential expires. Verifying is a pure
 * function of the string, the key and the clock: a byte-identical string verified again would give
 * the same claims, so a hit is as good as a verification, minus its cost (a JWT's HMAC ~0.13 ms, a
 * session cookie's key derivation and decryption ~0.7 ms, measured here). Failures are never
 * remembered, so a forged credential costs a full verification every time, as before.
 * Whether the session is still valid (version, log-out) is checked per request after this, always.
 */
export function createVerifiedCredentials<T extends object>(max: number) {
  // Expiry is judged here against the wall clock, the clock the credentials' own expiry is on.
  const memo = new LRUCache<string, Verified<T>>({ max })
  return {
    async claims(credential: string, verify: (credential: string) => Promise<Verified<T> | null>): Promise<T | null> {
      const known = memo.get(credential)
      if (known && known.expiresAt > Date.now()) return known.claims
      if (known) memo.delete(credential)
      const verified = await verify(credential)
      if (!verified || verified.expiresAt <= Date.now()) return null
      memo.set(credential, verified)
      return verified.claims
    },
  }
}
