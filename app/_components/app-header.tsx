import Link from 'next/link'
import { getTranslations } from 'next-intl/server'
import { logOutAction } from '@/app/(app)/actions'
import type { Viewer } from '@/server/users'
import { NavLink } from './nav-link'
import { PreferenceSwitchers } from './preference-switchers'

/** The signed-in header: where you are, who you are, the language and theme, and the way out. */
export async function AppHeader({ viewer }: { viewer: Viewer }) {
  const t = await getTranslations('header')
  return (
    <header className="app-header">
      <div className="app-header-inner">
        {/* Not prefetched (nor are the nav links): these pages are dynamic, so every prefetch is a
            server render, and the router prefetches them again after each refresh: a click or a
            live update cost four renders instead of one. */}
        <Link href="/todos" className="brand" prefetch={false}>
          todos
        </Link>
        <nav aria-label={t('mainNav')} className="app-nav">
          <NavLink href="/todos">{t('todos')}</NavLink>
          <NavLink href="/trash">{t('trash')}</NavLink>
          <NavLink href="/account">{t('account')}</NavLink>
        </nav>
        <div className="app-header-user">
          <span className="signed-in-as">
            {t.rich('signedInAs', { username: viewer.username, strong: (chunks) => <strong>{chunks}</strong> })}
          </span>
          <form action={logOutAction}>
            <button type="submit" className="button button-quiet">
              {t('logOut')}
            </button>
          </form>
        </div>
        <PreferenceSwitchers placement="header" />
      </div>
    </header>
  )
}
