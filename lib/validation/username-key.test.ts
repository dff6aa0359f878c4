import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plausibleUsername, runs } from '@/test/support/arbitraries'
import { isHighlyRestrictive, scriptsOf } from './scripts'
import { usernameKey } from './username-key'

describe('usernameKey', () => {
  it.each([
    ['full-width letters', 'ｍｉｎｊｉ', 'minji'],
    ['upper case', 'MINJI', 'minji'],
    ['title case', 'Minji', 'minji'],
    ['German ß folds to ss', 'Straße', 'strasse'],
    ['capital ẞ', 'STRAẞE', 'strasse'],
    ['final sigma and sigma meet', 'σασ', 'σας'],
    ['capital sigma', 'ΣΑΣ', 'σας'],
    ['Greek with dialytika and tonos (three code points when upper-cased)', 'ΐ', 'ΐ'],
    ['a ligature', 'ﬁle', 'file'],
    ['Kelvin sign', 'K', 'k'],
    ['long s', 'ſam', 'sam'],
    ['dotted capital I', 'İzmir', 'i̇zmir'],
    ['dotless ı meets i (lower(upper) folds more than case folding: the safe side)', 'ıi', 'ii'],
    ['Cherokee folds by case too', 'ᏣᎳᎩ', 'ꮳꮃꭹ'],
    ['ASCII is lower-cased (what the backfill of old accounts does)', 'Alice_01.x-Y', 'alice_01.x-y'],
    ['Hangul is its own key', '김민지', '김민지'],
    ['decomposed Hangul composes', '\u1100\u1161\u11a8', '각'],
    ['decomposed accents compose', 'Jose\u0301', 'josé'],
  ])('%s', (_what, name, key) => {
    expect(usernameKey(name)).toBe(key)
  })

  it('is stable (key of the key is the key) and ignores case and width, for names in any script', () => {
    fc.assert(
      fc.property(plausibleUsername, (name) => {
        const key = usernameKey(name)
        expect(usernameKey(key)).toBe(key)
        expect(usernameKey(name.toUpperCase())).toBe(key)
        expect(usernameKey(name.toLowerCase())).toBe(key)
        expect(key).toBe(key.normalize('NFKC'))
      }),
      runs(300),
    )
  })
})

describe('isHighlyRestrictive (UTS #39)', () => {
  it.each(['minji', '김민지', 'Иван', 'Ελένη', '山田たろうカタ', '金민지minji', '中文ㄅㄆabc', 'たろうTaro', 'mañana', '123', '_'])(
    'allows %s',
    (text) => expect(isHighlyRestrictive(text)).toBe(true),
  )

  it.each(['p\u0430ypal', '\u03b1lpha', 'Ivan_Иван', '민지たろう', 'ㄅㄆ김', 'Ελένη_Иван', 'abc١٢٣', 'שלוםabc'])(
    'refuses %s',
    (text) => expect(isHighlyRestrictive(text)).toBe(false),
  )

  it('counts digits and _ . - as Common (no script), and reads Script_Extensions', () => {
    for (const char of '0_.-') expect(scriptsOf(char)).toBeNull()
    expect([...(scriptsOf('ー') ?? [])].sort()).toEqual(['Hira', 'Jpan', 'Kana']) // Common, but only Japanese uses it
    expect(scriptsOf('가')).toEqual(new Set(['Hang', 'Kore']))
    expect(scriptsOf('中')).toEqual(new Set(['Hani', 'Hanb', 'Jpan', 'Kore']))
  })
})
