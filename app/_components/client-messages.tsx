import { NextIntlClientProvider } from 'next-intl'
import { requestPreferences } from '@/server/preferences'
import { clientMessages, type ClientNamespace } from '@/server/i18n/messages'

/**
 * Gives the client components below it the messages of `namespaces`, and only those (see
 * clientMessages). A provider replaces the one above it, so each lists everything its subtree reads.
 * Times are formatted in UTC unless a component passes the viewer's zone (todo-meta does).
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly ClientNamespace[]; children: React.ReactNode }) {
  const { locale } = await requestPreferences()
  return (
    <NextIntlClientProvider locale={locale} messages={clientMessages(locale, namespaces)} timeZone="UTC">
      {children}
    </NextIntlClientProvider>
  )
}
