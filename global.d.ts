import type { Locale } from '@/lib/i18n/preferences'
import type en from '@/messages/en.json'

// Typed message keys and locales for next-intl: a key missing from en.json fails the typecheck.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale
    Messages: typeof en
  }
}
