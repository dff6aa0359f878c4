'use client'
import Link from 'next/link'
import { useEffect } from 'react'
import { DATABASE_UNAVAILABLE } from '@/lib/error-digests'

/** The error page: never a stack trace; says plainly when the database is the problem. */
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const unavailable = error.digest === DATABASE_UNAVAILABLE
  useEffect(() => {
    if (!unavailable) console.error(error)
  }, [error, unavailable])

  return (
    <main id="main" className="status-main">
      <div className="card status-card" role="alert">
        <h1>{unavailable ? 'Temporarily unavailable' : 'Something went wrong'}</h1>
        <p>
          {unavailable
            ? 'We cannot reach the database right now. Your todos are safe; please try again in a moment.'
            : 'An unexpected error stopped this page. Please try again.'}
        </p>
        {error.digest && !unavailable ? <p className="muted">Reference: {error.digest}</p> : null}
        <div className="status-actions">
          <button type="button" className="button button-primary" onClick={() => retry()}>
            Try again
          </button>
          <Link href="/todos" className="button button-quiet">
            Go to your todos
          </Link>
        </div>
      </div>
    </main>
  )
}
