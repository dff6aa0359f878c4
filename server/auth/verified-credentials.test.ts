import { afterEach, describe, expect, it, vi } from 'vitest'
import { createVerifiedCredentials, type Verified } from './verified-credentials'

type Claims = { userId: number }

/** A verifier that counts its calls: "good-<id>" is valid for `lifetimeMs`, anything else is not. */
function countingVerifier(lifetimeMs: number) {
  const calls: string[] = []
  const verify = async (credential: string): Promise<Verified<Claims> | null> => {
    calls.push(credential)
    const match = /^good-(\d+)$/.exec(credential)
    return match ? { claims: { userId: Number(match[1]) }, expiresAt: Date.now() + lifetimeMs } : null
  }
  return { calls, verify }
}

describe('createVerifiedCredentials', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('verifies a credential once, then answers from memory with the same claims', async () => {
    const memo = createVerifiedCredentials<Claims>(10)
    const { calls, verify } = countingVerifier(60_000)
    expect(await memo.claims('good-1', verify)).toEqual({ userId: 1 })
    expect(await memo.claims('good-1', verify)).toEqual({ userId: 1 })
    expect(await memo.claims('good-2', verify)).toEqual({ userId: 2 })
    expect(calls).toEqual(['good-1', 'good-2'])
  })

  it('never remembers a failure: a bad credential is verified in full every time', async () => {
    const memo = createVerifiedCredentials<Claims>(10)
    const { calls, verify } = countingVerifier(60_000)
    expect(await memo.claims('forged', verify)).toBeNull()
    expect(await memo.claims('forged', verify)).toBeNull()
    expect(calls).toEqual(['forged', 'forged'])
  })

  it('forgets a credential when it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const memo = createVerifiedCredentials<Claims>(10)
    const { calls, verify } = countingVerifier(1_000)
    expect(await memo.claims('good-3', verify)).toEqual({ userId: 3 })
    vi.advanceTimersByTime(999)
    expect(await memo.claims('good-3', verify)).toEqual({ userId: 3 })
    expect(calls).toHaveLength(1)
    vi.advanceTimersByTime(2)
    await memo.claims('good-3', verify) // past its expiry: verified again (and, here, valid anew)
    expect(calls).toHaveLength(2)
  })

  it('refuses a credential that expired as it was verified', async () => {
    const memo = createVerifiedCredentials<Claims>(10)
    const { verify } = countingVerifier(0)
    expect(await memo.claims('good-4', verify)).toBeNull()
  })

  it('holds at most `max` credentials', async () => {
    const memo = createVerifiedCredentials<Claims>(2)
    const { calls, verify } = countingVerifier(60_000)
    for (const credential of ['good-1', 'good-2', 'good-3', 'good-1']) await memo.claims(credential, verify)
    expect(calls).toEqual(['good-1', 'good-2', 'good-3', 'good-1']) // good-1 was evicted by good-3
  })
})
