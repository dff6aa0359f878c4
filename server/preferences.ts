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
import { currentSession } from './auth/session'
import { resolveSession } from './sessions'
import { savePreferences, type Viewer } from './users'

export type Preferences = { locale: Locale; theme: Theme }

/**
 * The language and theme this request renders in: the signed-in user's saved choice, else the
 * browser's cookie, else (language) `Accept-Language`, else English and the system theme.
 * Once per request (React `cache`); the session check it uses is the one the page makes anyway.
 */
export const requestPreferences = cache(async (): Promise<Preferences> => {
  const viewer = await savedChoicesOf(await currentSession().catch(() => null))
  const jar = await cookies()
  const cookieLocale = jar.get(LOCALE_COOKIE)?.value
  const cookieTheme = jar.get(THEME_COOKIE)?.value
  const locale =
    viewer?.locale ??
    (isLocale(cookieLocale) ? cookieLocale : localeFromAcceptLanguage((await headers()).get('accept-language')))
  const theme = viewer ? viewer.theme : isTheme(cookieTheme) ? cookieTheme : DEFAULT_THEME
  return { locale, theme }
})

/**
 * The account's choices for this session, or null (signed out, or the session check cannot answer:
 * a database outage must not take the language with it, the error page still needs words). Its own
 * call of the session check rather than the page's `getViewer()`: when that one fails, the page
 * must fail with it, and sharing its rejected promise here left such a page hanging (e2e/outages).
 * The record comes from the Redis cache the page's own check fills, so this costs one Redis read.
 */
async function savedChoicesOf(session: Awaited<ReturnType<typeof currentSession>>) {
  if (!session) return null
  return resolveSession(session).catch(() => null)
}

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
