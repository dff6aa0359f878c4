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
 * What client components need: the rest (emails, the API docs' prose) renders on the server only
 * and would only grow every page's payload.
 */
const SERVER_ONLY_NAMESPACES = ['email', 'apiDocs', 'mailbox'] as const satisfies (keyof Messages)[]

export function clientMessages(locale: Locale): Partial<Messages> {
  const messages: Partial<Messages> = { ...MESSAGES[locale] }
  for (const namespace of SERVER_ONLY_NAMESPACES) delete messages[namespace]
  return messages
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
