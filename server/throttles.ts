import 'server-only'
import { headers } from 'next/headers'
import { usernameKey as canonicalUsername } from '@/lib/validation/username-key'
import { env } from './env'
import { rateLimiter, strictest, type Limit, type Verdict } from './rate-limit'

export type { Verdict }

const MINUTES_15 = 15 * 60
const HOUR = 60 * 60

export const LIMITS = {
  logInPerUsername: { name: 'login-user', max: env.RATE_LOGIN_FAILURES_PER_USERNAME, windowSeconds: MINUTES_15 },
  logInPerAddress: { name: 'login-ip', max: env.RATE_LOGIN_FAILURES_PER_IP, windowSeconds: MINUTES_15 },
  signUpPerAddress: { name: 'signup-ip', max: env.RATE_SIGNUPS_PER_IP, windowSeconds: HOUR },
  codeRequestPerAddress: { name: 'code-ip', max: env.RATE_CODE_REQUESTS_PER_IP, windowSeconds: HOUR },
} satisfies Record<string, Limit>

/**
 * The caller's address. `npm start` runs server.mjs, which sets `x-client-ip` from the socket (or
 * from trusted proxies only) and overwrites whatever the client sent. Under `next dev` there is
 * no such header, and every caller counts as one.
 */
export async function clientAddress(): Promise<string> {
  return (await headers()).get('x-client-ip') ?? 'local'
}

// A username's counter is its account's: names that log into one account (`MINJI`, `ｍｉｎｊｉ`,
// `minji`) share one, and unknown usernames count alike. Log-in allows 64 UTF-16 units.
const usernameKey = (username: string) => canonicalUsername(username.trim().slice(0, 64))

/** Whether a log-in may be tried: fewer than the allowed failures for this username and address. */
export async function checkLogIn(username: string): Promise<Verdict> {
  const address = await clientAddress()
  return strictest(
    await Promise.all([
      rateLimiter.check(LIMITS.logInPerUsername, usernameKey(username)),
      rateLimiter.check(LIMITS.logInPerAddress, address),
    ]),
  )
}

/** Counts a failed log-in (or a wrong password on the account page) against the username and the address. */
export async function recordLogInFailure(username: string): Promise<void> {
  const address = await clientAddress()
  await Promise.all([
    rateLimiter.consume(LIMITS.logInPerUsername, usernameKey(username)),
    rateLimiter.consume(LIMITS.logInPerAddress, address),
  ])
}

/** Counts a sign-up attempt from this address, if allowed. */
export async function consumeSignUp(): Promise<Verdict> {
  return rateLimiter.consume(LIMITS.signUpPerAddress, await clientAddress())
}

/** Counts an email-code request from this address, if allowed (the per-user limits live in otp.ts). */
export async function consumeCodeRequest(): Promise<Verdict> {
  return rateLimiter.consume(LIMITS.codeRequestPerAddress, await clientAddress())
}
