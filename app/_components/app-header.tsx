import Link from 'next/link'
import { logOutAction } from '@/app/(app)/actions'
import type { Viewer } from '@/server/users'
import { NavLink } from './nav-link'

/** The signed-in header: where you are, who you are, and the way out. */
export function AppHeader({ viewer }: { viewer: Viewer }) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link href="/todos" className="brand">
          todos
        </Link>
        <nav aria-label="Main" className="app-nav">
          <NavLink href="/todos">Todos</NavLink>
          <NavLink href="/account">Account</NavLink>
        </nav>
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
  )
}
