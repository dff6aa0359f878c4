import { describe, expect, it } from 'vitest'
import { LogInSchema, NewPasswordSchema, SignUpSchema, UsernameSchema } from './auth'

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? []

describe('UsernameSchema', () => {
  it.each(['abc', 'Alice_01', 'a.b-c', 'x'.repeat(32)])('accepts %s', (name) => {
    expect(UsernameSchema.parse(name)).toBe(name)
  })

  it('trims surrounding spaces', () => {
    expect(UsernameSchema.parse('  alice ')).toBe('alice')
  })

  it.each([
    ['ab', 'validation.username.tooShort'],
    ['x'.repeat(33), 'validation.username.tooLong'],
    ['al ice', 'validation.username.characters'],
    ['älice', 'validation.username.characters'],
    ['alice<script>', 'validation.username.characters'],
  ])('refuses %j', (name, message) => {
    expect(messages(UsernameSchema.safeParse(name)).join(' ')).toContain(message)
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
