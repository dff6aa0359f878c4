import type { Metadata, Viewport } from 'next'
import { getTranslations } from 'next-intl/server'
import { AppDocument } from '@/app/_components/app-document'
import { ClientMessages } from '@/app/_components/client-messages'
import './globals.css'

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('meta')
  return {
    title: { default: t('appName'), template: `%s · ${t('appName')}` },
    description: t('description'),
  }
}

// The browser's own chrome (the address bar on phones) takes the page's background, --bg's two
// values. Static on purpose: a viewport that read the account's theme would wait for the session
// check before the first byte, and the metadata is resolved apart from the page's own render.
export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7f9' },
    { media: '(prefers-color-scheme: dark)', color: '#15171c' },
  ],
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <AppDocument>
      {/* The error page (app/error.tsx) is the one client component every page may show. */}
      <ClientMessages namespaces={['status']}>{children}</ClientMessages>
    </AppDocument>
  )
}
