import type { Metadata } from 'next'
import { getTranslations } from 'next-intl/server'
import { AppDocument } from '@/app/_components/app-document'
import { AppHeader } from '@/app/_components/app-header'
import { NotFoundCard } from '@/app/_components/not-found-card'
import { getViewer } from '@/server/auth/session'
import './globals.css'

// The 404 page of an address no route matches (next.config.mjs: experimental.globalNotFound). It
// is a page of its own, outside the root layout, so it renders the document itself (AppDocument,
// as app/layout.tsx does). Rendered only when it is shown, unlike app/not-found.tsx, so it can
// afford the header.

export async function generateMetadata(): Promise<Metadata> {
  const [t, tMeta] = await Promise.all([getTranslations('status'), getTranslations('meta')])
  return { title: `${t('notFound.title')} · ${tMeta('appName')}`, description: tMeta('description') }
}

export default async function GlobalNotFound() {
  const [viewer, t] = await Promise.all([
    // Signed-in visitors keep their header (and the log-out button) on a 404 too.
    getViewer().catch(() => null),
    getTranslations('status'),
  ])
  return (
    <AppDocument>
      {viewer ? <AppHeader viewer={viewer} /> : null}
      <NotFoundCard
        title={t('notFound.title')}
        body={t('notFound.body')}
        link={viewer ? { href: '/todos', label: t('toTodos') } : { href: '/login', label: t('toLogin') }}
      />
    </AppDocument>
  )
}
