import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import { describe, expect, it } from 'vitest'
import en from '@/messages/en.json'
import ko from '@/messages/ko.json'

// The message files are one tree per language. These tests keep them honest: the same keys in
// both, each message valid ICU with the same arguments and tags in both, and every key used.

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') flat.set(path, value)
    else for (const [inner, text] of flatten(value, path)) flat.set(inner, text)
  }
  return flat
}

/** The names of a message's arguments and tags, with their kinds: what a caller must supply. */
function placeholders(message: string): string[] {
  const found = new Set<string>()
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.argument || element.type === TYPE.number || element.type === TYPE.date) {
        found.add(`{${element.value}}`)
      } else if (element.type === TYPE.plural || element.type === TYPE.select) {
        found.add(`{${element.value}}`)
        for (const option of Object.values(element.options)) walk(option.value)
      } else if (element.type === TYPE.tag) {
        found.add(`<${element.value}>`)
        walk(element.children)
      }
    }
  }
  walk(parse(message))
  return [...found].sort()
}

const english = flatten(en as Tree)
const korean = flatten(ko as Tree)

describe('message files', () => {
  it('have the same keys in English and Korean', () => {
    const onlyEnglish = [...english.keys()].filter((key) => !korean.has(key))
    const onlyKorean = [...korean.keys()].filter((key) => !english.has(key))
    expect({ onlyEnglish, onlyKorean }).toEqual({ onlyEnglish: [], onlyKorean: [] })
  })

  it('have no empty message', () => {
    const empty = [...english, ...korean].filter(([, text]) => text.trim() === '').map(([key]) => key)
    expect(empty).toEqual([])
  })

  it('give each key the same arguments and tags in both languages', () => {
    const mismatched = [...english.keys()]
      .filter((key) => korean.has(key))
      .map((key) => ({ key, en: placeholders(english.get(key)!), ko: placeholders(korean.get(key)!) }))
      .filter(({ en, ko }) => en.join() !== ko.join())
    expect(mismatched).toEqual([])
  })

  it('count with each language’s plural rules', () => {
    expect(english.get('todos.itemsLeft')).toContain('one {# item left}')
    // Korean has no plural forms: one sentence for every count.
    expect(korean.get('todos.itemsLeft')).not.toContain('plural')
  })
})

// Where the code names keys: string and template literals in the app's own source files.
const SOURCE_DIRS = ['app', 'server', 'lib']
const LITERAL = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

/** A literal as a pattern: a template's `${…}` parts match any one key segment (`filters.${filter}`). */
function literalPattern(literal: string): RegExp {
  const parts = literal.split(/\$\{[^}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${parts.join('[A-Za-z0-9]+')}$`)
}

const literalsByFile = SOURCE_DIRS.flatMap(sourceFiles).map((file) => {
  const literals = new Set<string>()
  for (const match of readFileSync(file, 'utf8').matchAll(LITERAL)) {
    const literal = match[1] ?? match[2] ?? match[3] ?? ''
    if (/^[A-Za-z][\w.${}]*$/.test(literal)) literals.add(literal)
  }
  return [...literals].map(literalPattern)
})

/**
 * A key is used when one file names it whole (`t('todos.errors.gone')`, a schema's
 * `'validation.todo.empty'`), or names a namespace and the rest (`useTranslations('todos')` and
 * `t('empty.none')`, or `t(\`empty.${reason}\`)`).
 */
function isUsed(key: string): boolean {
  const segments = key.split('.')
  return literalsByFile.some((patterns) =>
    segments.some((_, cut) => {
      const namespace = segments.slice(0, cut).join('.')
      const rest = segments.slice(cut).join('.')
      const namesRest = patterns.some((pattern) => pattern.test(rest))
      return namesRest && (cut === 0 || patterns.some((pattern) => pattern.test(namespace)))
    }),
  )
}

describe('every message', () => {
  it('is used by the code', () => {
    expect([...english.keys()].filter((key) => !isUsed(key))).toEqual([])
  })
})
