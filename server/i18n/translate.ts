import 'server-only'
import { createTranslator } from 'next-intl'
import type { Locale } from '@/lib/i18n/preferences'
import type { Translator } from '@/lib/validation/messages'
import { requestPreferences } from '../preferences'
import { MESSAGES } from './messages'

/**
 * A translator whose keys are plain strings, for keys known only at run time (a schema's message,
 * a count of seconds turned into words). Everywhere else the typed `getTranslations()` checks keys
 * and arguments at compile time.
 */
export function dynamicTranslator(locale: Locale): Translator {
  // Widened on purpose: lib/i18n/messages.test.ts proves that every key the code names exists.
  return createTranslator({ locale, messages: MESSAGES[locale] }) as unknown as Translator
}

/** The dynamic translator in this request's language. */
export async function requestTranslator(): Promise<Translator> {
  return dynamicTranslator((await requestPreferences()).locale)
}

/** "5 minutes", "40 seconds", "5분": how long to wait, for people. */
export function describeWait(t: Translator, seconds: number): string {
  if (seconds < 90) return t('wait.seconds', { count: seconds })
  return t('wait.minutes', { count: Math.ceil(seconds / 60) })
}
