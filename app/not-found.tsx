import Link from 'next/link'
import { getTranslations } from 'next-intl/server'
import { AppHeader } from '@/app/_components/app-header'
import { getViewer } from '@/server/auth/session'

export default async function NotFound() {
  // Signed-in visitors keep their header (and the log-out button) on a 404 too.
  const [viewer, t] = await Promise.all([getViewer().catch(() => null), getTranslations('status')])
  return (
    <>
      {viewer ? <AppHeader viewer={viewer} /> : null}
      <main id="main" className="status-main">
        <div className="card status-card">
          <p className="status-code" aria-hidden="true">
            404
          </p>
          <h1>{t('notFound.title')}</h1>
          <p>{t('notFound.body')}</p>
          <Link href={viewer ? '/todos' : '/login'} className="button button-primary">
            {viewer ? t('toTodos') : t('toLogin')}
          </Link>
        </div>
      </main>
    </>
  )
}
