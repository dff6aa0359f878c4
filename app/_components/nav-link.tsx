'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'

/** A header link that marks itself as the current page. Not prefetched: see AppHeader. */
export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const current = usePathname() === href
  return (
    <Link href={href} className="nav-link" prefetch={false} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  )
}
