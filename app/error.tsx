'use client'
import Link from 'next/link'
import { unstable_isUnrecognizedActionError } from 'next/navigation'
import { useTranslations } from 'next-intl'
import { useEffect } from 'react'
import { DATABASE_UNAVAILABLE, TOO_MANY_WRITES } from '@/lib/error-digests'

/** The error page: never a stack trace; says plainly when the database is the problem. */
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const t = useTranslations('status')
  const unavailable = error.digest === DATABASE_UNAVAILABLE
  const slowDown = error.digest === TOO_MANY_WRITES
  // A form of a page loaded from an older (or newer) build posted an action this server does not
  // have: Next answers 409 and throws this here. Only a reload helps (docs/decisions/0018-observability.md).
  const stale = unstable_isUnrecognizedActionError(error as unknown)
  useEffect(() => {
    if (!unavailable && !stale) console.error(error)
  }, [error, unavailable, stale])

  if (stale) {
    return (
      <main id="main" className="status-main">
        <div className="card status-card" role="alert">
          <h1>{t('error.staleTitle')}</h1>
          <p>{t('error.staleBody')}</p>
          <div className="status-actions">
            <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
              {t('error.reload')}
            </button>
          </div>
        </div>
      </main>
    )
  }

  return (
    <main id="main" className="status-main">
      <div className="card status-card" role="alert">
        <h1>{unavailable ? t('error.unavailableTitle') : slowDown ? t('error.slowDownTitle') : t('error.title')}</h1>
        <p>{unavailable ? t('error.unavailableBody') : slowDown ? t('error.slowDownBody') : t('error.body')}</p>
        {error.digest && !unavailable && !slowDown ? <p className="muted">{t('error.reference', { digest: error.digest })}</p> : null}
        <div className="status-actions">
          <button type="button" className="button button-primary" onClick={() => retry()}>
            {t('error.retry')}
          </button>
          <Link href="/todos" className="button button-quiet">
            {t('toTodos')}
          </Link>
        </div>
      </div>
    </main>
  )
}
