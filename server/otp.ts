import 'server-only'
import { createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto'
import type { Locale } from '@/lib/i18n/preferences'
import { enqueueEmail } from './jobs/email-queue'
import { env } from './env'
import { redis } from './redis'
import { keys } from './redis-keys'
import { findAccount, setVerifiedEmail, type Viewer } from './users'
import { componentLog } from './log'

const log = componentLog('otp')

export const OTP_MAX_WRONG_TRIES = 5
export const OTP_RESEND_COOLDOWN_SECONDS = env.OTP_RESEND_SECONDS
export const OTP_MAX_PER_HOUR = env.OTP_MAX_PER_HOUR

export type RequestCodeResult =
  | { ok: true; expiresInSeconds: number }
  | { ok: false; reason: 'already-verified' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

export type VerifyCodeResult =
  | { ok: true; account: { id: number; username: string; email: string } }
  | { ok: false; reason: 'invalid-code' | 'email-unavailable' }

/** Thrown when Redis cannot be reached: codes cannot work without it (the caller answers 503). */
export class OtpUnavailableError extends Error {
  constructor(cause: unknown) {
    super('Email verification is temporarily unavailable', { cause })
    this.name = 'OtpUnavailableError'
  }
}

let hmacKey: Buffer | undefined
/** Codes are stored as HMACs under a key Redis never sees: a leaked Redis does not give them away. */
function codeHash(userId: number, email: string, code: string): string {
  hmacKey ??= Buffer.from(hkdfSync('sha256', env.AUTH_SECRET ?? 'development', 'todos otp', 'code hmac key v1', 32))
  return createHmac('sha256', hmacKey).update(`${userId}\n${email}\n${code}`).digest('base64url')
}

async function withRedis<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw new OtpUnavailableError(error)
  }
}

/**
 * Emails a new 6-digit code for `email` to the viewer, in `locale`, replacing any earlier one.
 * Throttled per user (by default one request per 30 s and five per hour). The code is never
 * returned or logged. The caller decides the language: a page knows the one it is shown in.
 */
export async function requestEmailCode(viewer: Viewer, email: string, locale: Locale): Promise<RequestCodeResult> {
  const account = await findAccount(viewer.id)
  if (account?.email === email && account.emailVerifiedAt) return { ok: false, reason: 'already-verified' }

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const throttled = await withRedis(async () => {
    const client = await redis()
    const cooling = await client.set(keys.otpCooldown(viewer.id), '1', 'EX', OTP_RESEND_COOLDOWN_SECONDS, 'NX')
    if (cooling === null) return Math.max(1, await client.ttl(keys.otpCooldown(viewer.id)))
    const replies = await client.multi().incr(keys.otpHourly(viewer.id)).expire(keys.otpHourly(viewer.id), 3600, 'NX').exec()
    const count = Number(replies?.[0]?.[1] ?? 0)
    if (count > OTP_MAX_PER_HOUR) return Math.max(1, await client.ttl(keys.otpHourly(viewer.id)))
    await client
      .multi()
      .del(keys.otp(viewer.id))
      .hset(keys.otp(viewer.id), { hash: codeHash(viewer.id, email, code), email, wrong: 0 })
      .expire(keys.otp(viewer.id), env.OTP_TTL_SECONDS)
      .exec()
    return 0
  })
  if (throttled > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: throttled }

  await withRedis(() =>
    enqueueEmail(
      { type: 'verification-code', to: email, username: viewer.username, code, locale },
      `verification-code:${viewer.id}:${randomBytes(8).toString('hex')}`,
    ),
  )
  return { ok: true, expiresInSeconds: env.OTP_TTL_SECONDS }
}

// Checks and consumes a code in one step, so two concurrent verifications cannot both succeed,
// and counts wrong tries (a wrong address counts too); the fifth wrong try voids the code.
const VERIFY_SCRIPT = `
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 then return 'missing' end
if redis.call('HGET', key, 'hash') == ARGV[1] then
  redis.call('DEL', key)
  return 'ok'
end
local wrong = redis.call('HINCRBY', key, 'wrong', 1)
if wrong >= tonumber(ARGV[2]) then redis.call('DEL', key) end
return 'wrong'
`

/**
 * Verifies the code sent to `email`; on success saves the address on the account as verified and
 * emails a notice, in `locale`, to the address.
 */
export async function verifyEmailCode(
  viewer: Viewer,
  email: string,
  code: string,
  locale: Locale,
): Promise<VerifyCodeResult> {
  const outcome = await withRedis(
    async () =>
      (await redis()).eval(VERIFY_SCRIPT, 1, keys.otp(viewer.id), codeHash(viewer.id, email, code), OTP_MAX_WRONG_TRIES) as Promise<
        'ok' | 'wrong' | 'missing'
      >,
  )
  if (outcome !== 'ok') return { ok: false, reason: 'invalid-code' }

  const saved = await setVerifiedEmail(viewer, email)
  // Another account verified this address first. Only the mailbox's owner (who had the code) learns it.
  if (!saved) return { ok: false, reason: 'email-unavailable' }
  await withRedis(() =>
    enqueueEmail(
      { type: 'email-verified', to: email, username: viewer.username, locale },
      `email-verified:${viewer.id}:${randomBytes(8).toString('hex')}`,
    ),
  ).catch((error) => log.error({ err: error.cause ?? error }, 'could not queue the "email verified" notice'))
  return { ok: true, account: { id: viewer.id, username: viewer.username, email } }
}

/** The address with a code pending for the viewer, if any (for the account page). */
export async function pendingEmail(viewer: Viewer): Promise<string | null> {
  try {
    return await (await redis()).hget(keys.otp(viewer.id), 'email')
  } catch {
    return null
  }
}
