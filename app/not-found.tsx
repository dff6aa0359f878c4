import Link from 'next/link'

export default function NotFound() {
  return (
    <main id="main" className="status-main">
      <div className="card status-card">
        <p className="status-code" aria-hidden="true">
          404
        </p>
        <h1>Page not found</h1>
        <p>There is nothing at this address. It may have moved, or it may never have existed.</p>
        <Link href="/todos" className="button button-primary">
          Go to your todos
        </Link>
      </div>
    </main>
  )
}
