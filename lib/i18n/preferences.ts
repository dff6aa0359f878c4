// The languages and themes a visitor can choose, safe on both sides (the switchers show them).

export const LOCALES = ['en', 'ko'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

/** Each language named in itself, as switchers show it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ko: '한국어' }

export const THEMES = ['system', 'light', 'dark'] as const
export type Theme = (typeof THEMES)[number]
export const DEFAULT_THEME: Theme = 'system'

/** Cookies that keep a signed-out visitor's choices (a signed-in one's live on the account). */
export const LOCALE_COOKIE = 'locale'
export const THEME_COOKIE = 'theme'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value)
}
