import { match } from '@formatjs/intl-localematcher'
import Negotiator from 'negotiator'
import { DEFAULT_LOCALE, LOCALES, type Locale } from './preferences'

/**
 * The best of our languages for an `Accept-Language` header ("ko-KR,ko;q=0.9,en;q=0.8" → ko),
 * English when none fits or the header is missing or malformed.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return DEFAULT_LOCALE
  const requested = new Negotiator({ headers: { 'accept-language': header } })
    .languages()
    .filter((tag) => tag !== '*' && isWellFormedTag(tag))
  if (requested.length === 0) return DEFAULT_LOCALE
  return match(requested, LOCALES, DEFAULT_LOCALE) as Locale
}

function isWellFormedTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1
  } catch {
    return false
  }
}
