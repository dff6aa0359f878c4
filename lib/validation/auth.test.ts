import { describe, expect, it } from 'vitest'
import { ForgotPasswordSchema, LogInSchema, NewPasswordSchema, ResetPasswordSchema, SignUpSchema, UsernameSchema } from './auth'

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? []

describe('UsernameSchema', () => {
  it.each(['abc', 'Alice_01', 'a.b-c', 'x'.repeat(32)])('accepts %s', (name) => {
    expect(UsernameSchema.parse(name)).toBe(name)
  })

  it.each([
    ['Korean', '김민지'],
    ['Latin with accents', 'José_Müller'],
    ['German ß', 'straße'],
    ['Cyrillic', 'Иван.Петров'],
    ['Greek', 'Ελένη'],
    ['Japanese: Han, Hiragana and Katakana', '山田たろうカタ'],
    ['Korean with Han and Latin', '金민지_minji'],
    ['Chinese with Bopomofo and Latin', '中文ㄅㄆ_abc'],
    ['Devanagari with its vowel signs', 'मनीषा'],
    ['Arabic with Arabic-Indic digits', 'محمد٣'],
    ['Hebrew', 'שלום'],
    ['Thai', 'สมชาย'],
    ['Latin with a Japanese prolonged sound mark', 'Sakuraー'],
  ])('accepts names in any script: %s', (_script, name) => {
    expect(UsernameSchema.parse(name)).toBe(name)
  })

  it('trims surrounding spaces', () => {
    expect(UsernameSchema.parse('  alice ')).toBe('alice')
    expect(UsernameSchema.parse('\u3000김민지\u00a0')).toBe('김민지')
  })

  it('keeps the NFC form of what was typed, and counts its code points', () => {
    expect(UsernameSchema.parse('Jose\u0301')).toBe('Jos\u00e9')
    expect(UsernameSchema.parse('\u1100\u1161\u11a8abc')).toBe('각abc') // conjoining jamo → one syllable
    expect(UsernameSchema.parse('e\u0301'.repeat(32))).toBe('\u00e9'.repeat(32)) // 64 typed, 32 kept
    expect(UsernameSchema.parse('가'.repeat(32))).toHaveLength(32)
    expect(UsernameSchema.parse('𠀋'.repeat(32))).toHaveLength(64) // outside the BMP: 32 code points, 64 UTF-16 units
    expect(messages(UsernameSchema.safeParse('𠀋'.repeat(33)))).toEqual(['validation.username.tooLong'])
    expect(messages(UsernameSchema.safeParse('가나'))).toEqual(['validation.username.tooShort'])
  })

  it('keeps case and width as typed: comparing them is the key’s job', () => {
    expect(UsernameSchema.parse('ｍｉｎｊｉ')).toBe('ｍｉｎｊｉ')
    expect(UsernameSchema.parse('MINJI')).toBe('MINJI')
  })

  it.each([
    ['ab', 'validation.username.tooShort'],
    ['x'.repeat(33), 'validation.username.tooLong'],
    ['al ice', 'validation.username.characters'],
    ['alice<script>', 'validation.username.characters'],
    ['a😀b', 'validation.username.characters'],
    ['mail@me', 'validation.username.characters'],
    ['\u0301abc', 'validation.username.characters'], // a mark with nothing to sit on
    ['abc\ufe0f', 'validation.username.characters'], // a variation selector: invisible
    ['a\u3164b', 'validation.username.characters'], // the Hangul filler: a letter that shows nothing
    ['a\u200db', 'validation.username.characters'], // zero-width joiner
    ['___', 'validation.username.needsLetter'],
    ['1234', 'validation.username.needsLetter'],
    ['-.-', 'validation.username.needsLetter'],
    ['p\u0430ypal', 'validation.username.mixedScripts'], // Cyrillic а among Latin letters
    ['\u03b1lpha', 'validation.username.mixedScripts'], // Greek α among Latin letters
    ['Ivan_Иван', 'validation.username.mixedScripts'],
    ['민지たろう', 'validation.username.mixedScripts'], // Hangul and Hiragana: no writing system has both
    ['abc١٢٣', 'validation.username.mixedScripts'], // Latin letters, Arabic-Indic digits
    ['ﷺ'.repeat(20), 'validation.username.tooLong'], // NFKC makes each one 18 characters: the key would not fit
  ])('refuses %j', (name, message) => {
    expect(messages(UsernameSchema.safeParse(name))).toEqual([message])
  })

  it('refuses non-strings with a message, not a throw', () => {
    expect(messages(UsernameSchema.safeParse(42))).toEqual(['validation.username.type'])
  })
})

describe('NewPasswordSchema', () => {
  it('accepts 8 to 128 characters of anything, unchanged', () => {
    const password = '  ünïcödé パスワード 🔐 with spaces  '
    expect(NewPasswordSchema.parse(password)).toBe(password)
    expect(NewPasswordSchema.parse('z'.repeat(128))).toHaveLength(128)
  })

  it('counts characters, not UTF-16 units: 8 emoji are 8 characters', () => {
    expect(NewPasswordSchema.safeParse('🔐'.repeat(8)).success).toBe(true)
    expect(NewPasswordSchema.safeParse('🔐'.repeat(7)).success).toBe(false)
    expect(NewPasswordSchema.safeParse('🔐'.repeat(128)).success).toBe(true)
    expect(NewPasswordSchema.safeParse('🔐'.repeat(129)).success).toBe(false)
  })

  it('refuses too short and too long with the limit in the message', () => {
    expect(messages(NewPasswordSchema.safeParse('short'))).toEqual(['validation.password.tooShort'])
    expect(messages(NewPasswordSchema.safeParse('q'.repeat(129)))).toEqual(['validation.password.tooLong'])
  })

  it.each(['password', 'PASSWORD', 'Password1', '12345678', 'iloveyou', 'qwertyuiop', 'sunshine'])(
    'refuses the common password %s',
    (password) => {
      expect(messages(NewPasswordSchema.safeParse(password))).toEqual(['validation.password.tooCommon'])
    },
  )

  it('does not refuse an uncommon password', () => {
    expect(NewPasswordSchema.safeParse('violet kettle drums').success).toBe(true)
  })
})

describe('SignUpSchema', () => {
  it('reports a mismatched confirmation on the confirmation field', () => {
    const result = SignUpSchema.safeParse({
      username: 'alice',
      password: 'violet kettle drums',
      confirmPassword: 'violet kettle drum',
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['confirmPassword'], message: 'validation.password.mismatch' }),
    ])
  })
})

describe('LogInSchema', () => {
  it('checks only that both fields are present: no password rules at log-in', () => {
    expect(LogInSchema.safeParse({ username: 'al', password: 'x' }).success).toBe(true)
    expect(messages(LogInSchema.safeParse({ username: ' ', password: '' }))).toEqual([
      'validation.logIn.usernameRequired',
      'validation.logIn.passwordRequired',
    ])
  })
})

describe('SignUpSchema reports every problem at once', () => {
  it('shows a mismatch next to a bad username and a short password', () => {
    const result = SignUpSchema.safeParse({ username: 'a!', password: 'short', confirmPassword: 'different' })
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['username', 'validation.username.tooShort'],
      ['username', 'validation.username.characters'],
      ['password', 'validation.password.tooShort'],
      ['confirmPassword', 'validation.password.mismatch'],
    ])
  })
})

describe('ForgotPasswordSchema', () => {
  it('takes one address, trimmed and lower-cased as everywhere else', () => {
    expect(ForgotPasswordSchema.parse({ email: '  Ada@Example.COM ' })).toEqual({ email: 'ada@example.com' })
    expect(messages(ForgotPasswordSchema.safeParse({ email: 'not an address' }))).toEqual(['validation.email.invalid'])
    expect(messages(ForgotPasswordSchema.safeParse({}))).toEqual(['validation.email.type'])
  })
})

describe('ResetPasswordSchema', () => {
  const token = 'k3Jd0sQm5cVx2yBnLp8tRw1eZa7uHf4gOi6jMvNqXbY'

  it('applies the sign-up rules to the new password, and wants it twice', () => {
    const ok = { token, password: 'violet kettle drums', confirmPassword: 'violet kettle drums' }
    expect(ResetPasswordSchema.parse(ok)).toEqual(ok)
    expect(messages(ResetPasswordSchema.safeParse({ ...ok, password: 'short', confirmPassword: 'short' }))).toEqual([
      'validation.password.tooShort',
    ])
    expect(messages(ResetPasswordSchema.safeParse({ ...ok, password: 'password123', confirmPassword: 'password123' }))).toEqual([
      'validation.password.tooCommon',
    ])
    expect(ResetPasswordSchema.safeParse({ ...ok, confirmPassword: 'violet kettle drum' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['confirmPassword'], message: 'validation.password.mismatch' }),
    ])
  })

  it('never trims the password, as at sign-up', () => {
    const spaced = ' violet kettle drums '
    expect(ResetPasswordSchema.parse({ token, password: spaced, confirmPassword: spaced }).password).toBe(spaced)
  })

  it('takes any token of a sane length: a wrong one is judged by the data layer, not here', () => {
    const ok = { password: 'violet kettle drums', confirmPassword: 'violet kettle drums' }
    expect(ResetPasswordSchema.safeParse({ ...ok, token: 'abc' }).success).toBe(true)
    expect(messages(ResetPasswordSchema.safeParse({ ...ok, token: '' }))).toEqual(['validation.resetToken.required'])
    expect(messages(ResetPasswordSchema.safeParse({ ...ok, token: 'x'.repeat(513) }))).toEqual(['validation.resetToken.required'])
    expect(messages(ResetPasswordSchema.safeParse({ ...ok, token: 42 }))).toEqual(['validation.resetToken.required'])
  })
})
