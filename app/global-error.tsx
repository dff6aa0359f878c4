'use client'
import './globals.css'

/** Last resort when the root layout itself fails: a self-contained page with a way back. */
export default function GlobalError({ retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="status-main">
          <div className="card status-card" role="alert">
            <h1>Something went wrong</h1>
            <p>Please try again in a moment.</p>
            <div className="status-actions">
              <button type="button" className="button button-primary" onClick={() => retry()}>
                Try again
              </button>
            </div>
          </div>
        </main>
      </body>
    </html>
  )
}
