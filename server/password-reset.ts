import 'server-only'
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { and, eq, gt, isNotNull } from 'drizzle-orm'
import { passwordReset, user } from '@/db/schema'
import { isLocale, type Locale } from '@/lib/i18n/preferences'
import { hashPassword } from './auth/password'
import { userCache } from './cache'
import { db } from './db'
import { transaction } from './db-scope'
import { dataFunction } from './db-errors'
import { env } from './env'
import { enqueueEmail } from './jobs/email-queue'
import { rateLimiter, type Limit } from './rate-limit'
import { storePasswordHash } from './users'
import { componentLog } from './log'

const log = componentLog('password-reset')

// Password reset by email (docs/security.md, "Password reset"; docs/decisions/0012). A request only
// queues a job with the address typed; the email worker looks the address up and, for a verified
// account, issues the token and mails the link. The token is 256 random bits, stored only as its
// SHA-256, one per account (a newer one replaces it), valid PASSWORD_RESET_TTL_SECONDS, used once.

const HOUR = 60 * 60

export const RESET_LIMITS = {
  perEmail: { name: 'reset-email', max: env.RATE_PASSWORD_RESETS_PER_EMAIL, windowSeconds: HOUR },
  perAccount: { name: 'reset-account', max: env.RATE_PASSWORD_RESETS_PER_ACCOUNT, windowSeconds: HOUR },
  perAddress: { name: 'reset-ip', max: env.RATE_PASSWORD_RESETS_PER_IP, windowSeconds: HOUR },
} satisfies Record<string, Limit>

/** How long a link works, in whole minutes, for the pages and emails that say it. */
export const PASSWORD_RESET_TTL_MINUTES = Math.max(1, Math.round(env.PASSWORD_RESET_TTL_SECONDS / 60))

/** What randomBytes(32).toString('base64url') gives: anything else is not one of our tokens. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** The stored form of a token: its SHA-256, in hex. The token has 256 bits of entropy, so no salt or slow hash is needed. */
export function resetTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The link a reset email carries. */
export function resetLink(appUrl: string, token: string): string {
  return `${new URL('/reset-password', appUrl).toString()}?token=${token}`
}

/** Redis could not take the request: nothing was queued, for any address (the caller answers "unavailable"). */
export class PasswordResetUnavailableError extends Error {
  constructor(cause: unknown) {
    super('Password reset is temporarily unavailable', { cause })
    this.name = 'PasswordResetUnavailableError'
  }
}

let subjectKey: Buffer | undefined
/** The per-address limit's subject: a keyed hash, so that Redis key names never spell an email address. */
function emailSubject(email: string): string {
  subjectKey ??= Buffer.from(hkdfSync('sha256', env.AUTH_SECRET ?? 'development', 'todos reset', 'email limit key v1', 32))
  return createHmac('sha256', subjectKey).update(email).digest('base64url').slice(0, 32)
}

export type ResetRequestOutcome = 'queued' | 'limited'

/**
 * Asks for a reset link to `email` (already validated and lower-cased by EmailSchema). Callers
 * answer the same whatever this returns: "limited" is for tests and metrics, never for the user.
 * The work is the same for every address (two rate-limit steps, one enqueue): whether an account
 * has it is decided later, in the worker, so neither the answer nor its timing tells.
 * Limits: per client `address` (loosely, RATE_PASSWORD_RESETS_PER_IP an hour) and per email
 * address (RATE_PASSWORD_RESETS_PER_EMAIL); the per-account limit applies in the worker.
 * `locale` is the language of the page it was asked on, for an account that never chose one.
 */
export async function requestPasswordReset({
  email,
  locale,
  address,
}: {
  email: string
  locale: Locale
  address: string
}): Promise<ResetRequestOutcome> {
  const byAddress = await rateLimiter.consume(RESET_LIMITS.perAddress, address)
  if (!byAddress.allowed) return 'limited'
  const byEmail = await rateLimiter.consume(RESET_LIMITS.perEmail, emailSubject(email))
  if (!byEmail.allowed) return 'limited'
  try {
    // The job id is logged: random, never derived from the address or a token.
    await enqueueEmail({ type: 'password-reset', to: email, locale }, `password-reset:${randomBytes(8).toString('hex')}`)
  } catch (error) {
    throw new PasswordResetUnavailableError(error)
  }
  return 'queued'
}

export type IssuedReset = {
  /** The raw token: only ever in the link of the one email about to be sent. */
  token: string
  expiresAt: Date
  account: { id: number; username: string; email: string; locale: Locale | null }
}

/**
 * In the email worker: a fresh token for the account whose verified address is `email`, replacing
 * any earlier one (so only the newest link works); null when no account has it verified, or the
 * account asked too often. `countAttempt: false` for a retried job, whose first attempt counted.
 */
export const issuePasswordReset = dataFunction(
  async (email: string, { countAttempt = true }: { countAttempt?: boolean } = {}): Promise<IssuedReset | null> => {
    const [found] = await db
      .select({ id: user.id, username: user.username, email: user.email, locale: user.locale })
      .from(user)
      .where(and(eq(user.email, email), isNotNull(user.emailVerifiedAt)))
      .limit(1)
    if (!found?.email) return null
    if (countAttempt && !(await rateLimiter.consume(RESET_LIMITS.perAccount, String(found.id))).allowed) return null

    const token = randomBytes(32).toString('base64url')
    // DATETIME keeps whole seconds: round down here, so that the link never outlives its TTL.
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + env.PASSWORD_RESET_TTL_SECONDS * 1000)
    const row = { tokenHash: resetTokenHash(token), expiresAt, createdAt: new Date() }
    await db
      .insert(passwordReset)
      .values({ userId: found.id, ...row })
      .onDuplicateKeyUpdate({ set: row })
    return {
      token,
      expiresAt,
      account: {
        id: found.id,
        username: found.username,
        email: found.email,
        locale: isLocale(found.locale) ? found.locale : null,
      },
    }
  },
)

type ResetAccount = { id: number; username: string; email: string | null; locale: Locale | null }

async function findValid(token: string): Promise<ResetAccount | null> {
  if (!TOKEN_PATTERN.test(token)) return null
  const [found] = await db
    .select({ id: user.id, username: user.username, email: user.email, locale: user.locale })
    .from(passwordReset)
    .innerJoin(user, eq(user.id, passwordReset.userId))
    .where(and(eq(passwordReset.tokenHash, resetTokenHash(token)), gt(passwordReset.expiresAt, new Date())))
    .limit(1)
  if (!found) return null
  return { ...found, locale: isLocale(found.locale) ? found.locale : null }
}

/** The account a token (as in the link) can reset now, or null: unknown, expired, used or superseded. Uses nothing up. */
export const findPasswordReset = dataFunction(async (token: string): Promise<{ id: number; username: string } | null> => {
  const found = await findValid(token)
  return found ? { id: found.id, username: found.username } : null
})

export type ResetPasswordResult =
  | { ok: true; account: { id: number; username: string } }
  | { ok: false; reason: 'invalid-token' }

/**
 * Sets `newPassword` (already validated by NewPasswordSchema) on the account `token` resets. In one
 * transaction: the token is consumed by a conditional DELETE (of two resets racing with one token,
 * the second finds no row and changes nothing) and the password written as every password is
 * (storePasswordHash: argon2id, session version bumped so every session and API token ends).
 * Then the owner is told by email, in their language (else `locale`).
 */
export const resetPassword = dataFunction(
  async (token: string, newPassword: string, locale: Locale): Promise<ResetPasswordResult> => {
    const found = await findValid(token)
    if (!found) return { ok: false, reason: 'invalid-token' }
    const phc = await hashPassword(newPassword) // before the transaction: no lock is held for it
    const consumed = await transaction(async (tx) => {
      const [deleted] = await tx
        .delete(passwordReset)
        .where(
          and(
            eq(passwordReset.userId, found.id),
            eq(passwordReset.tokenHash, resetTokenHash(token)),
            gt(passwordReset.expiresAt, new Date()),
          ),
        )
      if (deleted.affectedRows !== 1) return false
      await storePasswordHash(tx, found.id, phc)
      return true
    })
    if (!consumed) return { ok: false, reason: 'invalid-token' }
    await userCache.invalidate(found.id)

    if (found.email) {
      await enqueueEmail(
        { type: 'password-changed', to: found.email, username: found.username, locale: found.locale ?? locale },
        `password-changed:${found.id}:${randomBytes(8).toString('hex')}`,
      ).catch((error: unknown) => {
        // The password is changed either way; the notice is best effort, like "email verified".
        log.error(`could not queue the "password changed" notice: ${error instanceof Error ? error.message : error}`)
      })
    }
    return { ok: true, account: { id: found.id, username: found.username } }
  },
)
