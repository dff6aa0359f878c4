import { describe, expect, it } from 'vitest'
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password'

describe('password hashing', () => {
  it('uses argon2id with m=19456, t=2, p=1', async () => {
    const phc = await hashPassword('violet kettle drums')
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/)
  })

  it('verifies the right password and only that one', async () => {
    const phc = await hashPassword('violet kettle drums')
    expect(await verifyPassword(phc, 'violet kettle drums')).toBe(true)
    expect(await verifyPassword(phc, 'violet kettle drum')).toBe(false)
    expect(await verifyPassword(phc, 'Violet kettle drums')).toBe(false)
  })

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'))
  })

  it('never truncates: a 128-character password differs from its 127-character prefix', async () => {
    const long = 'x'.repeat(127) + 'y'
    const phc = await hashPassword(long)
    expect(await verifyPassword(phc, long)).toBe(true)
    expect(await verifyPassword(phc, long.slice(0, 127))).toBe(false)
  })

  it('matches the same password typed in another Unicode normal form', async () => {
    const composed = 'caf\u00e9 au lait'
    const decomposed = 'cafe\u0301 au lait'
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true)
  })

  it('answers false, not a throw, for a malformed hash', async () => {
    expect(await verifyPassword('not a hash', 'whatever')).toBe(false)
  })

  it('always fails against the dummy hash', async () => {
    expect(await verifyAgainstDummy('dummy password for unknown users')).toBe(false)
  })
})
