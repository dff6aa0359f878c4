import { getTranslations } from 'next-intl/server'
import { requestPreferences } from '@/server/preferences'

/**
 * The document around every page: the root layout's, and the global 404 page's, which is rendered
 * outside the root layout (app/global-not-found.tsx).
 */
export async function AppDocument({ children }: { children: React.ReactNode }) {
  const [{ locale, theme }, t] = await Promise.all([requestPreferences(), getTranslations('common')])
  return (
    // The theme is chosen here, on the server: no page is painted in the wrong one first. Without
    // a choice (system), CSS follows prefers-color-scheme.
    <html lang={locale} data-theme={theme === 'system' ? undefined : theme}>
      <body>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        {children}
      </body>
    </html>
  )
}
