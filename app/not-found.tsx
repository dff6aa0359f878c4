import Link from 'next/link'
import { AppHeader } from '@/app/_components/app-header'
import { getViewer } from '@/server/auth/session'

export default async function NotFound() {
  // Signed-in visitors keep their header (and the log-out button) on a 404 too.
  const viewer = await getViewer().catch(() => null)
  return (
    <>
      {viewer ? <AppHeader viewer={viewer} /> : null}
      <main id="main" className="status-main">
        <div className="card status-card">
          <p className="status-code" aria-hidden="true">
            404
          </p>
          <h1>Page not found</h1>
          <p>There is nothing at this address. It may have moved, or it may never have existed.</p>
          <Link href={viewer ? '/todos' : '/login'} className="button button-primary">
            {viewer ? 'Go to your todos' : 'Go to log-in'}
          </Link>
        </div>
      </main>
    </>
  )
}
