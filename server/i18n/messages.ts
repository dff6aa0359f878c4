import 'server-only'
import { createTranslator } from 'use-intl/core'
import type { Locale } from '@/lib/i18n/preferences'
import type { Translator } from '@/lib/validation/messages'
import en from '@/messages/en.json'
import ko from '@/messages/ko.json'

export type Messages = typeof en

/** Every message of each language: one file per language, the same keys in both (lib/i18n/messages.test.ts). */
export const MESSAGES: Record<Locale, Messages> = { en, ko }

/**
 * A namespace of the message tree, or a part of one (`validation.todo`), that client components
 * of some page read.
 */
export type ClientNamespace = keyof Messages | `${keyof Messages}.${string}`

/**
 * The messages the client components under one provider read, and nothing else. Every message sent
 * to the browser is serialized into the page's RSC payload and again into its HTML, on every
 * request: the whole tree (16 KB) was most of a small page's render cost (issue 15). Server
 * components translate on the server and need none of these.
 */
export function clientMessages(locale: Locale, namespaces: readonly ClientNamespace[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {}
  for (const namespace of namespaces) {
    const path = namespace.split('.')
    let from: unknown = MESSAGES[locale]
    let to = picked
    for (const [index, key] of path.entries()) {
      from = (from as Record<string, unknown> | undefined)?.[key]
      if (from === undefined) throw new Error(`no messages under ${namespace}`)
      if (index === path.length - 1) to[key] = from
      else to = (to[key] ??= {}) as Record<string, unknown>
    }
  }
  return picked
}

/**
 * A translator whose keys are plain strings, for keys known only at run time (a schema's message,
 * a count of seconds turned into words). Everywhere else the typed `getTranslations()` checks keys
 * and arguments at compile time. From use-intl's core: it runs in the email worker too, outside Next.
 */
export function translatorFor(locale: Locale): Translator {
  // Widened on purpose: lib/i18n/messages.test.ts proves that every key the code names exists.
  return createTranslator({ locale, messages: MESSAGES[locale] }) as unknown as Translator
}

/**
 * English, for the JSON API, whose messages stay English whatever the caller's language (its
 * clients compare them).
 */
export const englishTranslator: Translator = translatorFor('en')
