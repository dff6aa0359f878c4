import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  almostShaped,
  anyValue,
  boundaryString,
  hostileString,
  plausibleEmail,
  plausibleUsername,
  runs,
} from '@/test/support/arbitraries'
import * as api from './api'
import * as auth from './auth'
import { isCommonPassword } from './common-passwords'
import * as email from './email'
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  TODO_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from './limits'
import { isHighlyRestrictive } from './scripts'
import { charLength } from './text'
import * as todo from './todo'

// Every schema is a wall between the outside world and the database: whatever arrives, safeParse
// must answer (never throw), and whatever it lets through must keep the promises the rest of the
// code relies on. fast-check prints the seed and the shrunk input of any failure; replay it with
// FC_SEED=… FC_PATH=… npx vitest run --project unit lib/validation/schemas.property.test.ts

const RUNS = runs(300)

/**
 * safeParse returns (never throws) for every input, and every output it accepts keeps `invariant`.
 * With `minAccepted`, enough inputs must pass that the invariant was really exercised.
 */
function holds<S extends z.ZodType>(
  schema: S,
  input: fc.Arbitrary<unknown>,
  invariant: (output: z.output<S>, input: unknown) => void,
  { minAccepted = 15 } = {},
) {
  let accepted = 0
  fc.assert(
    fc.property(input, (value) => {
      const result = schema.safeParse(value)
      if (!result.success) return void expect(result.error.issues.length).toBeGreaterThan(0)
      accepted++
      invariant(result.data, value)
    }),
    RUNS,
  )
  expect(accepted, 'inputs the schema accepted').toBeGreaterThanOrEqual(minAccepted)
}

/** Any string, or anything else a client could send instead. */
const stringOrAnything = fc.oneof(hostileString(), anyValue)

/**
 * Mostly `valid`, often a string of a boundary length, sometimes anything: enough successes for
 * the invariants to mean something, and enough strings at the limits to catch an off-by-one.
 */
const mostly = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: boundaryString, weight: 2 }, stringOrAnything)

/** `text` with whitespace around it that trim() removes (NBSP, ideographic space and BOM included). */
const padded = (text: fc.Arbitrary<string>) => {
  const padding = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000', '\ufeff'), maxLength: 3 })
  return fc.tuple(padding, text, padding).map(([before, middle, after]) => before + middle + after)
}

const validUsername = plausibleUsername
const validPassword = fc.string({ unit: 'grapheme', minLength: PASSWORD_MIN_LENGTH, maxLength: 40 })
/** What a todo's text becomes: trimmed, then NFC (the schema's order). */
const storedContents = (text: string) => text.trim().normalize('NFC')
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const validContents = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: TODO_MAX_LENGTH })
  .map((text) => text.replace(new RegExp(CONTROL, 'g'), '·'))
  .filter((text) => storedContents(text) !== '' && charLength(storedContents(text)) <= TODO_MAX_LENGTH)
/** A field of a request body: usually valid, sometimes exactly at (or just past) a limit. */
const orAtLimit = (valid: fc.Arbitrary<string>) => fc.oneof({ arbitrary: valid, weight: 3 }, boundaryString)
const contentsField = orAtLimit(validContents)
const validOtp = fc.stringMatching(/^ ?[0-9]{3}[ -]?[0-9]{3} ?$/)

function expectTodoContents(output: unknown, input?: unknown) {
  expect(typeof output).toBe('string')
  const text = output as string
  expect(text).toBe(text.trim())
  expect(charLength(text)).toBeGreaterThanOrEqual(1)
  expect(charLength(text)).toBeLessThanOrEqual(TODO_MAX_LENGTH)
  expect(text).not.toMatch(CONTROL)
  expect(text).toBe(text.normalize('NFC'))
  if (typeof input === 'string') expect(text).toBe(storedContents(input)) // trimmed and NFC, never otherwise altered
}

function expectUsername(output: unknown, input?: unknown) {
  expect(typeof output).toBe('string')
  const name = output as string
  expect(name).toMatch(auth.USERNAME_PATTERN)
  expect(name).toMatch(/\p{L}/u)
  expect(name).toBe(name.normalize('NFC'))
  expect(isHighlyRestrictive(name)).toBe(true)
  expect(charLength(name)).toBeGreaterThanOrEqual(USERNAME_MIN_LENGTH)
  expect(charLength(name)).toBeLessThanOrEqual(USERNAME_MAX_LENGTH)
  if (typeof input === 'string') expect(name).toBe(input.trim().normalize('NFC'))
}

function expectNewPassword(output: unknown, input?: unknown) {
  expect(typeof output).toBe('string')
  const password = output as string
  if (typeof input === 'string') expect(password).toBe(input) // never trimmed or changed
  expect(charLength(password)).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH)
  expect(charLength(password)).toBeLessThanOrEqual(PASSWORD_MAX_LENGTH)
  expect(isCommonPassword(password)).toBe(false)
}

function expectTodoId(output: unknown) {
  expect(Number.isSafeInteger(output)).toBe(true)
  expect(output).toBeGreaterThanOrEqual(1)
  expect(output).toBeLessThanOrEqual(2_147_483_647) // a MariaDB INT: never an out-of-range query
}

function expectEmail(output: unknown, input?: unknown) {
  expect(typeof output).toBe('string')
  const address = output as string
  expect(address).toBe(address.trim())
  expect(address).toBe(address.toLowerCase())
  expect(address.length).toBeLessThanOrEqual(254)
  expect(address.split('@')).toHaveLength(2)
  expect(address).toMatch(/^[\x21-\x7e]+$/) // printable ASCII: no NUL, no look-alikes, no spaces
  if (typeof input === 'string') expect(address).toBe(input.trim().toLowerCase())
  expect(email.EmailSchema.parse(address)).toBe(address) // normalised once is normalised for good
}

function expectOtp(output: unknown, input?: unknown) {
  expect(output).toMatch(/^[0-9]{6}$/)
  if (typeof input === 'string') expect(output).toBe(input.replace(/[\s-]/g, ''))
}

describe('todo schemas', () => {
  it('TodoContentsSchema: trimmed, NFC, 1 to 256 code points, no control characters, otherwise untouched', () => {
    holds(todo.TodoContentsSchema, mostly(padded(validContents)), expectTodoContents)
  })

  it('TodoContentsSchema accepts exactly the well-formed strings of 1 to 256 code points, trimmed and NFC, with no control character', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(), boundaryString, padded(validContents)), (text) => {
        const wellFormed = text.isWellFormed()
        const stored = wellFormed ? storedContents(text) : ''
        const length = charLength(stored)
        const expected = wellFormed && length >= 1 && length <= TODO_MAX_LENGTH && !CONTROL.test(stored)
        expect(todo.TodoContentsSchema.safeParse(text).success).toBe(expected)
      }),
      RUNS,
    )
  })

  it('TodoIdSchema: a positive 32-bit integer, or a refusal', () => {
    const ids = fc.oneof(fc.integer().map(String), fc.nat().map((n) => ` ${n}e0 `), fc.constantFrom('0x10', '1e3'))
    holds(todo.TodoIdSchema, mostly(ids), expectTodoId)
  })

  it('TodoIdSchema accepts exactly the decimal integers from 1 to 2^31 - 1', () => {
    const INT_MAX = 2 ** 31 - 1
    const near = (n: number) => fc.integer({ min: n - 3, max: n + 3 })
    const id = fc.oneof(near(0), near(INT_MAX), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }))
    fc.assert(
      fc.property(id, (n) => {
        expect(todo.TodoIdSchema.safeParse(String(n)).success).toBe(n >= 1 && n <= INT_MAX)
      }),
      RUNS,
    )
  })

  it('NewTodoSchema: valid contents, a boolean isDone (false when left out)', () => {
    const body = almostShaped({ contents: contentsField, isDone: fc.boolean() })
    holds(todo.NewTodoSchema, mostly(body), (output, input) => {
      expectTodoContents(output.contents)
      expect(typeof output.isDone).toBe('boolean')
      if ((input as { isDone?: unknown }).isDone === undefined) expect(output.isDone).toBe(false)
    })
  })

  it('TodoPatchSchema: at least one of contents and isDone, each valid', () => {
    holds(todo.TodoPatchSchema, mostly(almostShaped({ contents: contentsField, isDone: fc.boolean() })), (output) => {
      expect(output.contents !== undefined || output.isDone !== undefined).toBe(true)
      if (output.contents !== undefined) expectTodoContents(output.contents)
      if (output.isDone !== undefined) expect(typeof output.isDone).toBe('boolean')
    })
  })

  it('TodoFilterSchema and PageNumberSchema never fail: nonsense falls back to the defaults', () => {
    fc.assert(
      fc.property(mostly(fc.oneof(fc.constantFrom(...todo.TODO_FILTERS), fc.integer().map(String))), (value) => {
        const filter = todo.TodoFilterSchema.safeParse(value)
        expect(filter.success && todo.TODO_FILTERS.includes(filter.data)).toBe(true)
        const page = todo.PageNumberSchema.safeParse(value)
        expect(page.success).toBe(true)
        expect(Number.isSafeInteger(page.data)).toBe(true)
        expect(page.data).toBeGreaterThanOrEqual(1)
        expect(page.data).toBeLessThanOrEqual(1_000_000)
      }),
      RUNS,
    )
  })

  it('TodoViewSchema accepts exactly a known filter and a whole page number from 1 to 1,000,000, nothing else', () => {
    const view = fc.record(
      { filter: fc.oneof(fc.constantFrom(...todo.TODO_FILTERS), fc.string(), fc.anything()), page: fc.oneof(fc.integer(), fc.double(), fc.anything()) },
      { requiredKeys: [] },
    )
    const extra = fc.dictionary(fc.string(), fc.anything(), { maxKeys: 2 })
    fc.assert(
      fc.property(fc.oneof(view, fc.tuple(view, extra).map(([v, more]) => ({ ...more, ...v })), fc.anything()), (value) => {
        const parsed = todo.TodoViewSchema.safeParse(value)
        const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
        const expected =
          object !== null &&
          Object.keys(object).every((key) => key === 'filter' || key === 'page') &&
          (todo.TODO_FILTERS as readonly unknown[]).includes(object.filter) &&
          Number.isInteger(object.page) &&
          (object.page as number) >= 1 &&
          (object.page as number) <= 1_000_000
        expect(parsed.success).toBe(expected)
        if (parsed.success) expect(parsed.data).toEqual({ filter: object!.filter, page: object!.page })
      }),
      RUNS,
    )
  })
})

describe('auth schemas', () => {
  it('UsernameSchema: the pattern, a letter, one script, 3 to 32 code points, trimmed and NFC', () => {
    holds(auth.UsernameSchema, mostly(padded(validUsername)), expectUsername)
  })

  it('UsernameSchema accepts exactly the names of 3 to 32 allowed code points with a letter and no mixed scripts', () => {
    // Every length from 0 to 40, equally often, so that both limits are hit from both sides; Latin,
    // Cyrillic и and Hangul 가 (Latin + Hangul may mix, Cyrillic with either may not), a combining
    // acute (which composes with a and Z under NFC) and characters that are never allowed.
    const unit = fc.oneof(
      { arbitrary: fc.constantFrom(...'aZ09_.-'), weight: 9 },
      fc.constantFrom('é', 'и', '가', '\u0301', ' ', '@', '😀', '\ufe0f'),
    )
    const name = fc.integer({ min: 0, max: 40 }).chain((n) => fc.string({ unit, minLength: n, maxLength: n }))
    fc.assert(
      fc.property(name, padded(fc.constant('')), (name, padding) => {
        const typed = padding + name + padding
        const stored = typed.trim().normalize('NFC')
        const length = charLength(stored)
        const fits = length >= USERNAME_MIN_LENGTH && length <= USERNAME_MAX_LENGTH
        const allowed = /^[aZ09_.\-éи가áŹ]/.test(stored) && /^[aZ09_.\-éи가áŹ\u0301]+$/.test(stored)
        const letter = /[aZéи가áŹ]/.test(stored)
        const cyrillic = stored.includes('и')
        const mixed = cyrillic && /[aZéáŹ가]/.test(stored)
        const result = auth.UsernameSchema.safeParse(typed)
        expect(result.success).toBe(fits && allowed && letter && !mixed)
        if (result.success) expect(result.data).toBe(stored)
      }),
      RUNS,
    )
  })

  it('NewPasswordSchema: 8 to 128 code points, not a common password, never altered', () => {
    const common = fc.constantFrom('password', 'Password1', '12345678', 'iloveyou', 'QWERTYUIOP', 'sunshine')
    const passwords = fc.oneof(validPassword, common, fc.string({ unit: 'binary', minLength: 8, maxLength: 130 }))
    holds(auth.NewPasswordSchema, mostly(passwords), expectNewPassword)
  })

  it('SignUpSchema: a valid username and password, confirmed exactly', () => {
    const body = orAtLimit(validPassword).chain((password) =>
      almostShaped({
        username: orAtLimit(validUsername),
        password: fc.constant(password),
        confirmPassword: fc.constantFrom(password, password, `${password} `),
      }),
    )
    holds(auth.SignUpSchema, mostly(body), (output) => {
      expectUsername(output.username)
      expectNewPassword(output.password)
      expect(output.confirmPassword).toBe(output.password)
    })
  })

  it('LogInSchema: a trimmed username of 1 to 64 characters and a password of 1 to 1024, as typed', () => {
    const body = almostShaped({
      username: padded(validUsername),
      password: fc.string({ unit: 'binary', minLength: 1 }),
    })
    holds(auth.LogInSchema, mostly(body), (output, input) => {
      expect(output.username).toBe(output.username.trim())
      expect(charLength(output.username)).toBeGreaterThanOrEqual(1)
      expect(charLength(output.username)).toBeLessThanOrEqual(64)
      expect(charLength(output.password)).toBeGreaterThanOrEqual(1)
      expect(charLength(output.password)).toBeLessThanOrEqual(1024)
      expect(output.password).toBe((input as { password: unknown }).password)
    })
  })

  it('ChangePasswordSchema: a current password, a valid new one, confirmed exactly', () => {
    const body = orAtLimit(validPassword).chain((password) =>
      almostShaped({
        currentPassword: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        newPassword: fc.constant(password),
        confirmPassword: fc.constantFrom(password, password, `${password} `),
      }),
    )
    holds(auth.ChangePasswordSchema, mostly(body), (output, input) => {
      expect(output.currentPassword.length).toBeGreaterThanOrEqual(1)
      expect(output.currentPassword).toBe((input as { currentPassword: unknown }).currentPassword)
      expectNewPassword(output.newPassword)
      expect(output.confirmPassword).toBe(output.newPassword)
    })
  })

  it('ConfirmWithPasswordSchema: a password of 1 to 1024 characters, as typed', () => {
    const body = almostShaped({ password: fc.oneof(fc.string({ unit: 'binary', minLength: 1 }), boundaryString) })
    holds(auth.ConfirmWithPasswordSchema, mostly(body), (output, input) => {
      expect(charLength(output.password)).toBeGreaterThanOrEqual(1)
      expect(charLength(output.password)).toBeLessThanOrEqual(1024)
      expect(output.password).toBe((input as { password: unknown }).password)
    })
  })
})

describe('password-reset schemas', () => {
  const validToken = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), fc.string({ unit: 'binary', minLength: 1, maxLength: 600 }))

  function expectToken(output: unknown, input?: unknown) {
    expect(typeof output).toBe('string')
    const token = output as string
    expect(charLength(token)).toBeGreaterThanOrEqual(1)
    expect(charLength(token)).toBeLessThanOrEqual(512) // Zod counts code points
    if (typeof input === 'string') expect(token).toBe(input) // as it came: a wrong token is judged by the data layer
  }

  it('ResetTokenSchema: 1 to 512 code points, never altered', () => {
    holds(auth.ResetTokenSchema, mostly(validToken), expectToken)
  })

  it('ForgotPasswordSchema: one valid address', () => {
    holds(auth.ForgotPasswordSchema, mostly(almostShaped({ email: plausibleEmail })), (output) => expectEmail(output.email))
  })

  it('ResetPasswordSchema: a token and a valid new password, confirmed exactly', () => {
    const body = orAtLimit(validPassword).chain((password) =>
      almostShaped({
        token: validToken,
        password: fc.constant(password),
        confirmPassword: fc.constantFrom(password, password, `${password} `),
      }),
    )
    holds(auth.ResetPasswordSchema, mostly(body), (output, input) => {
      expectToken(output.token, (input as { token: unknown }).token)
      expectNewPassword(output.password, (input as { password: unknown }).password)
      expect(output.confirmPassword).toBe(output.password)
    })
  })

  it('ApiPasswordForgotSchema and ApiPasswordResetSchema', () => {
    const body = almostShaped({ email: plausibleEmail, token: validToken, password: orAtLimit(validPassword) })
    holds(api.ApiPasswordForgotSchema, mostly(body), (output) => expectEmail(output.email))
    holds(api.ApiPasswordResetSchema, mostly(body), (output, input) => {
      expectToken(output.token, (input as { token: unknown }).token)
      expectNewPassword(output.password, (input as { password: unknown }).password)
    })
  })
})

describe('email schemas', () => {
  it('EmailSchema: trimmed, lower-cased, at most 254 printable ASCII characters, one @, idempotent', () => {
    // Valid addresses of 250 to 260 characters: the 254 limit is hit from both sides.
    const long = fc.integer({ min: 250, max: 260 }).map((length) => `${'a'.repeat(length - 13)}@Example.TEST`)
    holds(email.EmailSchema, mostly(fc.oneof(plausibleEmail, long)), expectEmail)
  })

  it('OtpCodeSchema: exactly six ASCII digits once spaces and dashes are dropped', () => {
    holds(email.OtpCodeSchema, mostly(validOtp), expectOtp)
  })

  it('OtpCodeSchema accepts exactly six ASCII digits with any spaces and dashes between them', () => {
    // Non-ASCII digits (Arabic-Indic, full-width) must not pass for ASCII ones.
    const unit = fc.oneof(
      { arbitrary: fc.constantFrom(...'0123456789'), weight: 6 },
      fc.constantFrom(' ', '-', '\u00a0', '٣', '０', '.'),
    )
    const typed = fc.integer({ min: 4, max: 9 }).chain((n) => fc.string({ unit, minLength: n, maxLength: n }))
    fc.assert(
      fc.property(typed, (code) => {
        const digits = code.replace(/[\s-]/g, '')
        expect(email.OtpCodeSchema.safeParse(code).success).toBe(/^[0-9]{6}$/.test(digits))
      }),
      RUNS,
    )
  })

  it('EmailCodeRequestSchema and EmailCodeVerifySchema', () => {
    const body = almostShaped({ email: plausibleEmail, otp: validOtp })
    holds(email.EmailCodeRequestSchema, mostly(body), (output) => expectEmail(output.email))
    holds(email.EmailCodeVerifySchema, mostly(body), (output) => {
      expectEmail(output.email)
      expectOtp(output.otp)
    })
  })
})

describe('JSON API schemas', () => {
  const todoBody = almostShaped({ contents: contentsField, is_done: fc.boolean() })

  it('ApiSignUpSchema and ApiLogInSchema', () => {
    const body = almostShaped({ username: orAtLimit(validUsername), password: orAtLimit(validPassword) })
    holds(api.ApiSignUpSchema, mostly(body), (output) => {
      expectUsername(output.username)
      expectNewPassword(output.password)
    })
    holds(api.ApiLogInSchema, mostly(body), (output) => {
      expect(output.username.length).toBeGreaterThanOrEqual(1)
      expect(output.password.length).toBeGreaterThanOrEqual(1)
    })
  })

  it('ApiNewTodoSchema: valid contents, a boolean is_done (false when left out)', () => {
    holds(api.ApiNewTodoSchema, mostly(todoBody), (output, input) => {
      expectTodoContents(output.contents)
      expect(typeof output.is_done).toBe('boolean')
      if ((input as { is_done?: unknown }).is_done === undefined) expect(output.is_done).toBe(false)
    })
  })

  it('ApiTodoPatchSchema: at least one field, each valid', () => {
    holds(api.ApiTodoPatchSchema, mostly(todoBody), (output) => {
      expect(output.contents !== undefined || output.is_done !== undefined).toBe(true)
      if (output.contents !== undefined) expectTodoContents(output.contents)
      if (output.is_done !== undefined) expect(typeof output.is_done).toBe('boolean')
    })
  })

  it('ApiTodoListQuerySchema: order is ASC or DESC', () => {
    const query = almostShaped({ order: fc.constantFrom('asc', 'DESC', 'Desc', 'sideways') })
    holds(api.ApiTodoListQuerySchema, mostly(query), (output) => expect(['ASC', 'DESC']).toContain(output.order))
  })

  it('ApiTodoPathSchema: id is a positive 32-bit integer', () => {
    holds(api.ApiTodoPathSchema, mostly(almostShaped({ id: fc.integer().map(String) })), (output) =>
      expectTodoId(output.id),
    )
  })

  it('the response schemas (for the OpenAPI document) never throw either', () => {
    const responses = [
      api.ApiTodoSchema,
      api.ApiTodoListSchema,
      api.ApiTrashedTodoSchema,
      api.ApiTrashListSchema,
      api.ApiUserSchema,
      api.ApiTokenSchema,
      api.ApiEmailCodeSentSchema,
      api.ApiVerifiedUserSchema,
      api.ApiHealthSchema,
      api.ApiErrorSchema,
      api.ApiValidationErrorSchema,
      api.ApiPasswordResetRequestedSchema,
      api.ApiPasswordResetDoneSchema,
    ]
    const shapes = almostShaped({
      id: fc.nat(),
      todos: fc.array(anyValue, { maxLength: 3 }),
      detail: anyValue,
      ping: fc.constant('pong'),
    })
    for (const schema of responses) holds(schema, mostly(shapes), () => {}, { minAccepted: 0 })
  })
})

describe('due dates, repeats and time zones', () => {
  const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true })
  const offset = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45))

  it('an instant written with any offset reads back as the same second', () => {
    fc.assert(
      fc.property(instant, offset, (date, [sign, hours, minutes]) => {
        const shift = (sign === '+' ? 1 : -1) * (hours * 60 + minutes) * 60_000
        const local = new Date(date.getTime() + shift).toISOString().slice(0, 19)
        const text = `${local}${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
        const parsed = todo.DueAtSchema.safeParse(text)
        if (!parsed.success) return new Date(date.getTime() + shift).getUTCFullYear() > 9999 || date.getUTCFullYear() < 1000
        expect(parsed.data.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000)
      }),
      RUNS,
    )
  })

  it('accepted instants are whole seconds within what DATETIME holds', () => {
    for (const schema of [todo.DueAtSchema, todo.RemindAtSchema]) {
      holds(schema, fc.oneof(instant.map((d) => d.toISOString()), stringOrAnything), (output) => {
        expect(output.getTime() % 1000).toBe(0)
        expect(output.getUTCFullYear()).toBeGreaterThanOrEqual(1000)
      })
    }
  })

  const ruleText = fc
    .array(
      fc.constantFrom('FREQ=DAILY', 'FREQ=WEEKLY', 'FREQ=MONTHLY', 'FREQ=HOURLY', 'INTERVAL=2', 'INTERVAL=0', 'BYDAY=MO,FR',
        'BYDAY=2TU', 'BYMONTHDAY=-1', 'COUNT=3', 'UNTIL=20301231', 'UNTIL=20301231T090000Z', 'WKST=MO', 'freq=yearly'),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => parts.join(';'))

  it('an accepted repeat rule is stored normalised: upper case, FREQ first, stable', () => {
    holds(todo.RepeatRuleSchema, fc.oneof(ruleText, stringOrAnything), (output) => {
      expect(output).toMatch(/^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[-+0-9A-Z,]+)*$/)
      expect(output.length).toBeLessThanOrEqual(255)
      expect(todo.RepeatRuleSchema.parse(output)).toBe(output)
    })
  })

  it('an accepted time zone is canonical and usable by Intl', () => {
    const zones = fc.constantFrom(...Intl.supportedValuesOf('timeZone'), 'UTC', 'utc', 'asia/seoul', 'Mars/Olympus', '+09:00')
    holds(todo.TimeZoneSchema, fc.oneof(zones, stringOrAnything), (output) => {
      expect(todo.TimeZoneSchema.parse(output)).toBe(output)
      expect(() => new Intl.DateTimeFormat('en', { timeZone: output })).not.toThrow()
    })
  })

  it('a users/me patch keeps only a known zone and language', () => {
    const body = almostShaped({ time_zone: fc.constantFrom('Asia/Seoul', 'Nowhere/Else'), locale: fc.constantFrom('en', 'ko', 'fr') })
    holds(api.ApiUserPatchSchema, body, (output) => {
      if (output.locale !== undefined) expect(['en', 'ko']).toContain(output.locale)
      if (output.time_zone !== undefined) expect(output.time_zone).toBe('Asia/Seoul')
    })
    holds(api.ApiMeSchema, almostShaped({ id: fc.nat(), username: fc.string(), time_zone: fc.string() }), () => {}, {
      minAccepted: 0,
    })
  })
})

describe('export and import shapes', () => {
  it('an export format is json or csv, json when left out', () => {
    holds(api.ApiExportQuerySchema, almostShaped({ format: fc.constantFrom('json', 'csv', 'xml') }), (output) => {
      expect(['json', 'csv']).toContain(output.format)
    }, { minAccepted: 1 })
  })

  it('an import body has a list of todos, each with contents', () => {
    const row = almostShaped({ contents: fc.string(), is_done: fc.boolean(), due_at: fc.constantFrom(null, '2026-12-24T09:00:00Z') })
    holds(api.ApiImportSchema, almostShaped({ todos: fc.array(row, { maxLength: 3 }) }), (output) => {
      expect(Array.isArray(output.todos)).toBe(true)
      for (const todo of output.todos) expect(typeof todo.contents).toBe('string')
    }, { minAccepted: 0 })
  })

  it('an export and an import result carry what the routes answer', () => {
    holds(api.ApiImportResultSchema, almostShaped({ imported: fc.nat(), skipped: fc.integer() }), (output) => {
      expect(output.imported).toBeGreaterThanOrEqual(0)
      expect(output.skipped).toBeGreaterThanOrEqual(0)
    }, { minAccepted: 0 })
    const instant = fc.constantFrom('2026-12-02T01:00:00Z', '2026-12-02T10:00:00+09:00')
    const exported = { id: fc.nat(), contents: fc.string(), is_done: fc.boolean(), due_at: fc.constant(null), remind_at: fc.constant(null), repeat: fc.constant(null), created_at: instant, updated_at: instant }
    holds(api.ApiExportedTodoSchema, almostShaped(exported), (output) => expect(output.created_at).toMatch(/Z$/), { minAccepted: 0 })
    holds(api.ApiExportedTrashedTodoSchema, almostShaped({ ...exported, deleted_at: instant }), (output) => expect(output.deleted_at).toMatch(/Z$/), {
      minAccepted: 0,
    })
    holds(api.ApiExportSchema, almostShaped({ version: fc.constantFrom(1, 2), todos: fc.constant([]), trash: fc.constant([]) }), (output) => {
      expect(output.version).toBe(1)
    }, { minAccepted: 0 })
  })
})

describe('every schema in lib/validation', () => {
  const modules = { api, auth, email, todo }
  const schemas = Object.entries(modules).flatMap(([module, exports]) =>
    Object.entries(exports)
      .filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType)
      .map(([name, schema]) => [`${module}.${name}`, schema] as const),
  )

  /** The schemas whose invariants the tests above check. */
  const CHECKED = new Set([
    ...['todo.TodoContentsSchema', 'todo.TodoIdSchema', 'todo.NewTodoSchema', 'todo.TodoPatchSchema'],
    ...['todo.TodoFilterSchema', 'todo.PageNumberSchema', 'todo.TodoViewSchema'],
    ...['auth.UsernameSchema', 'auth.NewPasswordSchema', 'auth.SignUpSchema', 'auth.LogInSchema'],
    ...['auth.ChangePasswordSchema', 'auth.ConfirmWithPasswordSchema'],
    ...['email.EmailSchema', 'email.OtpCodeSchema', 'email.EmailCodeRequestSchema', 'email.EmailCodeVerifySchema'],
    ...['api.ApiSignUpSchema', 'api.ApiLogInSchema', 'api.ApiNewTodoSchema', 'api.ApiTodoPatchSchema'],
    ...['api.ApiTodoListQuerySchema', 'api.ApiTodoPathSchema', 'api.ApiTodoSchema', 'api.ApiTodoListSchema'],
    ...['api.ApiUserSchema', 'api.ApiTokenSchema', 'api.ApiEmailCodeSentSchema', 'api.ApiVerifiedUserSchema'],
    ...['api.ApiHealthSchema', 'api.ApiErrorSchema', 'api.ApiValidationErrorSchema'],
    ...['todo.DueAtSchema', 'todo.RemindAtSchema', 'todo.RepeatRuleSchema', 'todo.TimeZoneSchema'],
    ...['api.ApiUserPatchSchema', 'api.ApiMeSchema'],
    ...['auth.ForgotPasswordSchema', 'auth.ResetTokenSchema', 'auth.ResetPasswordSchema'],
    ...['api.ApiPasswordForgotSchema', 'api.ApiPasswordResetSchema'],
    ...['api.ApiPasswordResetRequestedSchema', 'api.ApiPasswordResetDoneSchema'],
    ...['api.ApiExportQuerySchema', 'api.ApiImportSchema', 'api.ApiImportTodoSchema', 'api.ApiImportResultSchema'],
    ...['api.ApiExportSchema', 'api.ApiExportedTodoSchema', 'api.ApiExportedTrashedTodoSchema'],
    ...['api.ApiTrashedTodoSchema', 'api.ApiTrashListSchema'],
  ])

  it.each(schemas)('%s: safeParse returns, never throws, whatever arrives', (_name, schema) => {
    holds(schema, stringOrAnything, () => {}, { minAccepted: 0 })
  })

  it('each has its invariants checked above (a new schema needs its own property)', () => {
    expect(schemas.map(([name]) => name).filter((name) => !CHECKED.has(name))).toEqual([])
  })
})
