import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTranslator } from 'next-intl'
import { describe, expect, it } from 'vitest'
import en from '@/messages/en.json'
import ko from '@/messages/ko.json'
import { LogInSchema, SignUpSchema } from './auth'
import { englishTranslator } from '@/server/i18n/messages'
import { INVALID_KEY, translateMessage, VALIDATION_VALUES, type Translator } from './messages'
import { TodoContentsSchema } from './todo'

const dir = import.meta.dirname
/** Every `validation.…` key that the schemas in lib/validation use (tests aside). */
const usedKeys = [
  ...new Set(
    readdirSync(dir)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/'(validation\.[\w.]+)'/g)])
      .map((match) => match[1] as string),
  ),
].sort()

type Tree = { [key: string]: string | Tree }
function leaves(tree: Tree, prefix: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = `${prefix}.${key}`
    if (typeof value === 'string') found.set(path, value)
    else for (const [inner, text] of leaves(value, path)) found.set(inner, text)
  }
  return found
}
const catalogues = { en: leaves(en.validation, 'validation'), ko: leaves(ko.validation, 'validation') }

/** The ICU arguments a message takes: `{name}`, `{name, plural, …}`. */
const argumentsOf = (message: string) => [...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]).sort()

describe('validation messages', () => {
  it('finds the keys the schemas use', () => {
    expect(usedKeys).toContain('validation.username.tooShort')
    expect(usedKeys).toContain('validation.todo.empty')
    expect(usedKeys.length).toBeGreaterThan(20)
  })

  it.each(usedKeys)('%s exists in English and Korean, with the same ICU arguments', (key) => {
    const english = catalogues.en.get(key)
    const korean = catalogues.ko.get(key)
    expect(english, `${key} in messages/en.json`).toBeTypeOf('string')
    expect(korean, `${key} in messages/ko.json`).toBeTypeOf('string')
    expect(argumentsOf(korean!)).toEqual(argumentsOf(english!))
    for (const name of argumentsOf(english!)) expect(Object.keys(VALIDATION_VALUES)).toContain(name)
  })

  it('both files hold the same validation keys, and each formats without error', () => {
    expect([...catalogues.ko.keys()].sort()).toEqual([...catalogues.en.keys()].sort())
    expect(catalogues.en.has(INVALID_KEY)).toBe(true)
    for (const [locale, messages] of [['en', en], ['ko', ko]] as const) {
      const errors: unknown[] = []
      const t = createTranslator({ locale, messages, onError: (error) => errors.push(error) }) as unknown as Translator
      for (const key of catalogues[locale].keys()) expect(t(key, VALIDATION_VALUES)).not.toMatch(/[{}]/)
      expect(errors).toEqual([])
    }
  })
})

describe('translateMessage', () => {
  const korean = createTranslator({ locale: 'ko', messages: ko }) as unknown as Translator

  it('fills the limits in, in the translator’s language', () => {
    expect(translateMessage(englishTranslator, 'validation.username.tooShort')).toBe(
      'Username must be at least 3 characters',
    )
    expect(translateMessage(korean, 'validation.username.tooShort')).toBe('사용자 이름은 3자 이상이어야 합니다')
    expect(translateMessage(englishTranslator, 'validation.todo.tooLong')).toBe('Keep it to 256 characters or fewer')
  })

  it('answers anything that is not one of our keys with the generic message', () => {
    for (const message of ['Invalid input: expected string, received number', 'validation.nope', 'validation', '']) {
      expect(translateMessage(englishTranslator, message)).toBe(en.validation.invalid)
      expect(translateMessage(korean, message)).toBe(ko.validation.invalid)
    }
  })

  it('keeps the English sentences the pages and the API showed before', () => {
    const english = (result: { error?: { issues: { message: string }[] } }) =>
      result.error?.issues.map((issue) => translateMessage(englishTranslator, issue.message))
    expect(english(SignUpSchema.safeParse({ username: 'a!', password: 'short', confirmPassword: 'x' }))).toEqual([
      'Username must be at least 3 characters',
      'Use only letters, digits, and _ . -',
      'Password must be at least 8 characters',
      'Passwords do not match',
    ])
    expect(english(SignUpSchema.safeParse({ username: 'alice', password: 'password', confirmPassword: 'password' }))).toEqual([
      'This password is too common and easy to guess: choose another',
    ])
    expect(english(LogInSchema.safeParse({ username: '', password: '' }))).toEqual(['Enter your username', 'Enter your password'])
    expect(english(TodoContentsSchema.safeParse(' '))).toEqual(['Enter what needs to be done'])
    expect(english(TodoContentsSchema.safeParse(42))).toEqual(['Contents must be text'])
  })
})
