'use client'
import './globals.css'

/**
 * Last resort when the root layout itself fails: a self-contained page with a way back. Without
 * the layout there is no language to choose by, so it says it in both, each marked as such.
 */
export default function GlobalError({ retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="status-main">
          <div className="card status-card" role="alert">
            <h1>Something went wrong</h1>
            <p>Please try again in a moment.</p>
            <p lang="ko">문제가 발생했습니다. 잠시 후 다시 시도해 주세요.</p>
            <div className="status-actions">
              <button type="button" className="button button-primary" onClick={() => retry()}>
                Try again · <span lang="ko">다시 시도</span>
              </button>
            </div>
          </div>
        </main>
      </body>
    </html>
  )
}
