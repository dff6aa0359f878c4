import 'server-only'
import { cookies, headers } from 'next/headers'
import { cache } from 'react'
import { localeFromAcceptLanguage } from '@/lib/i18n/negotiate'
import {
  DEFAULT_LOCALE,
  DEFAULT_THEME,
  isLocale,
  isTheme,
  LOCALE_COOKIE,
  THEME_COOKIE,
  type Locale,
  type Theme,
} from '@/lib/i18n/preferences'
import { savePreferences, type Viewer } from './users'

export type Preferences = { locale: Locale; theme: Theme }

/**
 * The language and theme this request renders in: this browser's cookies, which hold the account's
 * saved choices from log-in on (adoptAccountPreferences) and every choice made since; without
 * them, `Accept-Language`, else English and the system theme. No database and no session check:
 * a page must be able to say "temporarily unavailable" in the reader's language, and at once
 * (e2e/outages.spec.ts). Once per request (React `cache`).
 */
export const requestPreferences = cache(async (): Promise<Preferences> => {
  const jar = await cookies()
  const cookieLocale = jar.get(LOCALE_COOKIE)?.value
  const cookieTheme = jar.get(THEME_COOKIE)?.value
  const locale = isLocale(cookieLocale)
    ? cookieLocale
    : localeFromAcceptLanguage((await headers()).get('accept-language'))
  const theme = isTheme(cookieTheme) ? cookieTheme : DEFAULT_THEME
  return { locale, theme }
})

const YEAR_SECONDS = 365 * 24 * 60 * 60

/**
 * Remembers choices in this browser (for when nobody is signed in) and, for a signed-in viewer, on
 * the account, so every device and every email follows them.
 */
export async function rememberPreferences(viewer: Viewer | null, choice: Partial<Preferences>): Promise<void> {
  const jar = await cookies()
  // Not httpOnly-worthy secrets, but nothing on the page reads them either; lax like the session.
  const options = { httpOnly: true, sameSite: 'lax', path: '/', maxAge: YEAR_SECONDS } as const
  if (choice.locale) jar.set(LOCALE_COOKIE, choice.locale, options)
  if (choice.theme) jar.set(THEME_COOKIE, choice.theme, options)
  if (viewer) await savePreferences(viewer, choice)
}

/**
 * At log-in, this browser takes the account's saved choices (those it has: a language chosen
 * before languages existed is none), so every page of the session renders in them.
 */
export async function adoptAccountPreferences(saved: { locale: Locale | null; theme: Theme }): Promise<void> {
  await rememberPreferences(null, { theme: saved.theme, ...(saved.locale ? { locale: saved.locale } : {}) })
}

/** The language an email to this user goes out in: their saved one, else the one they are using now. */
export async function emailLocale(viewer: { locale?: Locale | null }): Promise<Locale> {
  return viewer.locale ?? (await requestPreferences()).locale
}

/**
 * The same for a JSON API call: the saved language, else English. A script's `Accept-Language`
 * says nothing about its owner, and the API itself answers in English.
 */
export function apiEmailLocale(viewer: { locale?: Locale | null }): Locale {
  return viewer.locale ?? DEFAULT_LOCALE
}
