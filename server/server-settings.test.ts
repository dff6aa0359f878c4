import { describe, expect, it } from 'vitest'
import { serverSettings } from './server-settings.mjs'

describe('serverSettings', () => {
  it('defaults to port 3000 on every interface, trusting no proxy', () => {
    expect(serverSettings({})).toEqual({ port: 3000, hostname: '0.0.0.0', trustedHops: 0 })
    expect(serverSettings({ PORT: '', TRUST_PROXY_HOPS: '' })).toEqual({ port: 3000, hostname: '0.0.0.0', trustedHops: 0 })
  })

  it('reads what is set', () => {
    expect(serverSettings({ PORT: '8080', HOSTNAME: '127.0.0.1', TRUST_PROXY_HOPS: '1' })).toEqual({ port: 8080, hostname: '127.0.0.1', trustedHops: 1 })
    expect(serverSettings({ PORT: '0' }).port).toBe(0) // any free port, as node:http reads it
  })

  it('refuses what is not a whole number in range, naming each setting and its value', () => {
    for (const [name, value] of [
      ['TRUST_PROXY_HOPS', 'one'],
      ['TRUST_PROXY_HOPS', '1.5'],
      ['TRUST_PROXY_HOPS', '-1'],
      ['TRUST_PROXY_HOPS', '11'],
      ['PORT', '80a'],
      ['PORT', '65536'],
      ['PORT', ' 80'],
    ]) {
      expect(() => serverSettings({ [name!]: value })).toThrow(`${name}: a whole number from`)
      expect(() => serverSettings({ [name!]: value })).toThrow(JSON.stringify(value))
    }
    expect(() => serverSettings({ PORT: 'x', TRUST_PROXY_HOPS: 'y' })).toThrow(/PORT: .*\n {2}TRUST_PROXY_HOPS: /)
  })
})
