import fc from 'fast-check'

// Hostile inputs for property tests, shared by the unit tests of the schemas and the black-box
// tests of the running app, so that both are fed the same kinds of garbage.

/** Characters that break naive code: NUL, lone surrogates, BOM, RTL override, line separators. */
export const NASTY_CHARACTERS = ['\u0000', '\ud800', '\udfff', '\ufeff', '\u202e', '\u2028', '\u00a0', '\u3000']

/** Strings made only of the characters above and whitespace that String.prototype.trim strips or keeps. */
const nastyString = fc.string({ unit: fc.constantFrom(...NASTY_CHARACTERS, ' ', '\t', '\n', 'a', '😀', '가') })

/** A lone surrogate (half of a UTF-16 pair): not valid Unicode, yet a legal JavaScript string. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit))

/** Lengths on either side of every limit in lib/validation/limits.ts and the API's (254, 1024, 16 KiB). */
const BOUNDARY_LENGTHS = [0, 1, 2, 3, 4, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 253, 254, 255, 256, 257, 1025]

/**
 * A string of exactly a boundary length in code points (1 to 4 UTF-8 bytes each), sometimes with
 * whitespace around it: an off-by-one in a limit or in how it is counted shows up here first.
 */
export const boundaryString = fc
  .tuple(
    fc.constantFrom(...BOUNDARY_LENGTHS),
    fc.constantFrom('x', 'é', '가', '😀', '\u0000'),
    fc.constantFrom('', ' ', '\n\t', '\u3000'),
  )
  .map(([length, unit, padding]) => padding + unit.repeat(length) + padding)

/** True when `text` holds half of a surrogate pair: not well-formed Unicode (String#isWellFormed, ES2024). */
export const hasLoneSurrogate = (text: string) =>
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)

/**
 * Any string a client could send: every Unicode code point, grapheme clusters, lone surrogates,
 * NUL, padding, lengths at every limit, and a few long ones (well past every limit).
 */
export function hostileString({ maxLength = 300, hugeLength = 100_000 } = {}): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: fc.oneof(loneSurrogate, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength }),
    nastyString,
    boundaryString,
    fc.constantFrom('', ' ', 'null', 'undefined', 'true', '0', '-1', 'NaN', '1e309', '__proto__', 'constructor'),
    fc
      .tuple(fc.constantFrom('x', '가', '😀', ' ', '\u0000'), fc.integer({ min: 200, max: hugeLength }))
      .map(([unit, count]) => unit.repeat(count)),
  )
}

/** Numbers of every awkward kind: negative, fractional, huge, not finite, negative zero. */
export const awkwardNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 2 ** 31 - 1, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Infinity, -Infinity, NaN),
)

/** Any JavaScript value at all: wrong types for every field (objects, arrays, Maps, BigInts, …). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString(),
  awkwardNumber,
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.anything({
    maxDepth: 3,
    maxKeys: 5,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withObjectString: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    stringUnit: 'binary',
  }),
)

/** An address that Zod's email check accepts, in mixed case and padded, as people type them. */
export const plausibleEmail = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 2 }),
    fc.stringMatching(/^[A-Za-z0-9_+-]{1,20}@(?:[A-Za-z0-9][A-Za-z0-9-]{0,10}\.){1,3}[A-Za-z]{2,6}$/),
  )
  .map(([pad, address]) => pad + address + pad)

// Names people have: each alphabet is one script, or a mix that UTS #39 "Highly Restrictive" allows.
// The first list of each pair may start a name; the second may only follow (vowel signs, marks).
const USERNAME_ALPHABETS: [string, string][] = [
  ['abcdefXYZéñøÅßẞİı', ''],
  ['ИванжёЖЯ', ''],
  ['ΕλένηωςΣ', ''],
  ['김민지한글서울', ''],
  ['김민지金漢minjiX', ''],
  ['山田太郎たろうカタナsato', ''],
  ['中文台灣ㄅㄆㄇabc', ''],
  ['मनषकर', '\u093e\u0940\u093f'],
  ['محمدعلي', '\u0663\u0664'],
  ['שלוםדוד', ''],
]

/** A valid username (3 to 32 code points, NFC, at least one letter) in one of several scripts. */
export const plausibleUsername = fc
  .constantFrom(...USERNAME_ALPHABETS)
  .chain(([starters, followers]) =>
    fc.tuple(
      fc.constantFrom(...starters),
      fc.string({ unit: fc.constantFrom(...starters, ...followers, ...'019_.-'), minLength: 2, maxLength: 31 }),
    ),
  )
  .map(([first, rest]) => first + rest)

/** Any JSON value, with every Unicode code point in its strings and keys. */
export const anyJson = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' })

/**
 * An object with the given fields, each usually valid but sometimes anything at all (or left out),
 * plus stray keys: a request body that is almost the right shape, which reaches deeper than
 * random garbage does (every field must pass for the handler to run).
 */
export function almostShaped(
  fields: Record<string, fc.Arbitrary<unknown>>,
  garbage: fc.Arbitrary<unknown> = anyValue,
): fc.Arbitrary<Record<string, unknown>> {
  const absent = Symbol('absent')
  const record = fc.record(
    Object.fromEntries(
      Object.entries(fields).map(([key, valid]) => [
        key,
        fc.oneof({ arbitrary: valid, weight: 8 }, garbage, fc.constant(absent)),
      ]),
    ),
  )
  const stray = fc.dictionary(fc.string({ unit: 'binary', maxLength: 10 }), garbage, { maxKeys: 2 })
  return fc.tuple(stray, record).map(([extra, shaped]) => {
    const body: Record<string, unknown> = { ...extra }
    for (const [key, value] of Object.entries(shaped)) if (value !== absent) body[key] = value
    return body
  })
}

/**
 * fast-check's run settings: `numRuns` as given, or the failing run replayed from the seed and path
 * that fast-check printed (`FC_SEED=… FC_PATH=… npx vitest …`).
 */
export function runs(numRuns: number): { numRuns: number; seed?: number; path?: string } {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
  return { numRuns, ...(seed === undefined ? {} : { seed, path: process.env.FC_PATH }) }
}
