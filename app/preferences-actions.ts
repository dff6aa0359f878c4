'use server'
import { redirect } from 'next/navigation'
import { formText } from '@/lib/form-state'
import { isLocale, isTheme } from '@/lib/i18n/preferences'
import { samePagePath } from '@/lib/safe-redirect'
import { getViewer } from '@/server/auth/session'
import { rememberPreferences } from '@/server/preferences'

// Public endpoints like every action: anyone may choose a language or theme for their browser;
// only a signed-in viewer's choice is saved on their account (the data layer checks whose).

/** Switches the language and returns to the page it was chosen on. */
export async function setLocaleAction(form: FormData): Promise<void> {
  const locale = formText(form, 'locale')
  if (isLocale(locale)) await rememberPreferences(await getViewer(), { locale })
  redirect(samePagePath(formText(form, 'returnTo')))
}

/** Switches the theme (system, light or dark) and returns to the page it was chosen on. */
export async function setThemeAction(form: FormData): Promise<void> {
  const theme = formText(form, 'theme')
  if (isTheme(theme)) await rememberPreferences(await getViewer(), { theme })
  redirect(samePagePath(formText(form, 'returnTo')))
}
