import { describe, expect, it } from 'vitest'
import { createLogger, requestIdFrom } from './logging.mjs'

function capture() {
  const lines: Record<string, unknown>[] = []
  const logger = createLogger({ write: (line: string) => void lines.push(JSON.parse(line)) })
  return { logger, lines }
}

describe('the logger', () => {
  it('writes one JSON object per event with the level as a word, an ISO time and the instance', () => {
    const { logger, lines } = capture()
    logger.child({ requestId: 'r-1' }).warn('something')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'warn', requestId: 'r-1', msg: 'something', instance: expect.any(String) })
    expect(new Date(lines[0]!.time as string).toISOString()).toBe(lines[0]!.time)
  })

  it('blanks passwords, tokens, cookies, authorization and codes, at the top or nested', () => {
    const { logger, lines } = capture()
    logger.info(
      {
        password: 'hunter22',
        code: '482915',
        body: { newPassword: 'n3w-pass', code: '123456', token: 'tok-abc' },
        req: { headers: { authorization: 'Bearer xyz', cookie: 'authjs.session-token=abc', 'set-cookie': 'a=b' } },
        err: { code: 'ECONNREFUSED' },
      },
      'request',
    )
    const text = JSON.stringify(lines[0])
    for (const secret of ['hunter22', '482915', 'n3w-pass', '123456', 'tok-abc', 'Bearer xyz', 'session-token=abc', 'a=b']) {
      expect(text).not.toContain(secret)
    }
    expect(text).toContain('ECONNREFUSED') // an error's code stays readable
  })
})

describe('requestIdFrom', () => {
  it('keeps a short, plain id, from one header or the first of several', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123')
    expect(requestIdFrom(['haproxy:1A2B', 'other'])).toBe('haproxy:1A2B')
  })

  it('replaces anything else by a new UUID', () => {
    for (const bad of [undefined, null, '', 'two words', 'a'.repeat(129), 'line\nbreak', '{"level":"fatal"}']) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined))
  })
})
