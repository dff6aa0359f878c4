import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultQueuePrefix, EMAIL_QUEUE, type EmailJob } from '@/server/jobs/email-queue'
import { redis } from '@/server/redis'
import { keys } from '@/server/redis-keys'
import { OTP_MAX_PER_HOUR, requestEmailCode, verifyEmailCode } from '@/server/otp'
import { findAccount, type Viewer } from '@/server/users'
import { createTestViewer, uniqueUsername } from '../support/users'

// No worker runs here: the queued job is where the code can be read, exactly as the worker would.
const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null })
const queue = new Queue<EmailJob>(EMAIL_QUEUE, { connection, prefix: defaultQueuePrefix() })

afterAll(async () => {
  await queue.close()
  connection.disconnect()
})

const uniqueEmail = () => `${uniqueUsername('mail')}@example.test`.toLowerCase()

/** The newest code queued for `email`. */
async function queuedCode(email: string): Promise<string> {
  const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed'])
  const job = jobs
    .filter((j) => j?.data.type === 'verification-code' && j.data.to === email)
    .sort((a, b) => b.timestamp - a.timestamp)[0]
  if (job?.data.type !== 'verification-code') throw new Error(`no code queued for ${email}`)
  return job.data.code
}

/** Lets the test ask again at once: the 30 s wait is tested on its own below. */
const skipCooldown = async (viewer: Viewer) => (await redis()).del(keys.otpCooldown(viewer.id))

describe('email verification codes', () => {
  it('verifies with the emailed code, once, and saves the address as verified', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    expect(await requestEmailCode(viewer, email, 'en')).toEqual({ ok: true, expiresInSeconds: 2 })
    const code = await queuedCode(email)
    expect(code).toMatch(/^\d{6}$/)

    expect(await verifyEmailCode(viewer, email, code, 'en')).toEqual({
      ok: true,
      account: { id: viewer.id, username: viewer.username, email },
    })
    const account = await findAccount(viewer.id)
    expect(account?.email).toBe(email)
    expect(account?.emailVerifiedAt).toBeInstanceOf(Date)
    expect(await verifyEmailCode(viewer, email, code, 'en')).toEqual({ ok: false, reason: 'invalid-code' })
  })

  it('keeps only a hash of the code in Redis', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    await requestEmailCode(viewer, email, 'en')
    const code = await queuedCode(email)
    const stored = await (await redis()).hgetall(keys.otp(viewer.id))
    expect(JSON.stringify(stored)).not.toContain(code)
    expect(await (await redis()).ttl(keys.otp(viewer.id))).toBeGreaterThan(0)
  })

  it('is bound to the user and to the address', async () => {
    const viewer = await createTestViewer('otp')
    const other = await createTestViewer('otp')
    const email = uniqueEmail()
    await requestEmailCode(viewer, email, 'en')
    const code = await queuedCode(email)
    expect(await verifyEmailCode(other, email, code, 'en')).toMatchObject({ ok: false })
    expect(await verifyEmailCode(viewer, uniqueEmail(), code, 'en')).toMatchObject({ ok: false })
    expect(await verifyEmailCode(viewer, email, code, 'en')).toMatchObject({ ok: true })
  })

  it('is void after five wrong tries', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    await requestEmailCode(viewer, email, 'en')
    const code = await queuedCode(email)
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) expect(await verifyEmailCode(viewer, email, wrong, 'en')).toMatchObject({ ok: false })
    expect(await verifyEmailCode(viewer, email, code, 'en')).toEqual({ ok: false, reason: 'invalid-code' })
  })

  it('lets at most one of many concurrent verifications win', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    await requestEmailCode(viewer, email, 'en')
    const code = await queuedCode(email)
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyEmailCode(viewer, email, code, 'en')))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
  })

  it('expires (OTP_TTL_SECONDS is 2 in these tests)', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    await requestEmailCode(viewer, email, 'en')
    const code = await queuedCode(email)
    await new Promise((resolve) => setTimeout(resolve, 2_300))
    expect(await verifyEmailCode(viewer, email, code, 'en')).toEqual({ ok: false, reason: 'invalid-code' })
  })

  it('is replaced by a new code', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    await requestEmailCode(viewer, email, 'en')
    const first = await queuedCode(email)
    await skipCooldown(viewer)
    await new Promise((resolve) => setTimeout(resolve, 5)) // distinct job timestamps
    await requestEmailCode(viewer, email, 'en')
    const second = await queuedCode(email)
    if (first !== second) expect(await verifyEmailCode(viewer, email, first, 'en')).toMatchObject({ ok: false })
    expect(await verifyEmailCode(viewer, email, second, 'en')).toMatchObject({ ok: true })
  })

  it('allows one request per 30 seconds and five per hour', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    expect(await requestEmailCode(viewer, email, 'en')).toMatchObject({ ok: true })
    const again = await requestEmailCode(viewer, email, 'en')
    expect(again).toMatchObject({ ok: false, reason: 'throttled' })
    expect(again.ok === false && again.reason === 'throttled' && again.retryAfterSeconds).toBeLessThanOrEqual(30)

    for (let i = 1; i < OTP_MAX_PER_HOUR; i++) {
      await skipCooldown(viewer)
      expect(await requestEmailCode(viewer, email, 'en')).toMatchObject({ ok: true })
    }
    await skipCooldown(viewer)
    const sixth = await requestEmailCode(viewer, email, 'en')
    expect(sixth).toMatchObject({ ok: false, reason: 'throttled' })
    expect(sixth.ok === false && sixth.reason === 'throttled' && sixth.retryAfterSeconds).toBeGreaterThan(3_000)
  })

  it('refuses an address another account verified, without saying which', async () => {
    const owner = await createTestViewer('owner')
    const latecomer = await createTestViewer('late')
    const email = uniqueEmail()
    await requestEmailCode(owner, email, 'en')
    expect(await verifyEmailCode(owner, email, await queuedCode(email), 'en')).toMatchObject({ ok: true })

    await requestEmailCode(latecomer, email, 'en')
    expect(await verifyEmailCode(latecomer, email, await queuedCode(email), 'en')).toEqual({
      ok: false,
      reason: 'email-unavailable',
    })
    expect((await findAccount(latecomer.id))?.email).toBeNull()
  })

  it('says "already verified" for the address the account already has', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    await requestEmailCode(viewer, email, 'en')
    await verifyEmailCode(viewer, email, await queuedCode(email), 'en')
    await skipCooldown(viewer)
    expect(await requestEmailCode(viewer, email, 'en')).toEqual({ ok: false, reason: 'already-verified' })
  })

  it('queues the code and the "verified" notice in the language the caller chose', async () => {
    const viewer = await createTestViewer('otp')
    const email = uniqueEmail()
    await requestEmailCode(viewer, email, 'ko')
    await verifyEmailCode(viewer, email, await queuedCode(email), 'ko')
    const jobs = (await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed'])).filter(
      (job) => job?.data.to === email,
    )
    expect(jobs.map((job) => [job.data.type, job.data.locale]).sort()).toEqual([
      ['email-verified', 'ko'],
      ['verification-code', 'ko'],
    ])
  })
})
