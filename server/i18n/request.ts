import { getRequestConfig } from 'next-intl/server'
import { requestPreferences } from '../preferences'
import { MESSAGES } from './messages'

// next-intl's per-request configuration (wired in next.config.mjs). No locale in the URL: the
// language comes from the account, the cookie or the browser (server/preferences.ts).
export default getRequestConfig(async ({ locale: requested }) => {
  const locale = requested === 'en' || requested === 'ko' ? requested : (await requestPreferences()).locale
  return {
    locale,
    messages: MESSAGES[locale],
    // Until each user has a time zone, times are shown in UTC, as before languages.
    timeZone: 'UTC',
  }
})
