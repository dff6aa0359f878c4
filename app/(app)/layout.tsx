import Link from 'next/link'
import { requireUser } from '@/server/auth/session'
import { logOutAction } from './actions'

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const viewer = await requireUser()
  return (
    <>
      <header className="app-header">
        <div className="app-header-inner">
          <Link href="/todos" className="brand">
            todos
          </Link>
          <div className="app-header-user">
            <span className="signed-in-as">
              Signed in as <strong>{viewer.username}</strong>
            </span>
            <form action={logOutAction}>
              <button type="submit" className="button button-quiet">
                Log out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="app-main">
        {children}
      </main>
    </>
  )
}
