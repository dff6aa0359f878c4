'use client'
import { usePathname, useSearchParams } from 'next/navigation'

/**
 * The page the visitor is on: its path, its query and the two together (`href`), where a form's
 * action comes back to. Read from the router, not from the request that first rendered the
 * header: a layout is not rendered again when the visitor moves between its pages, so that
 * request may be several pages ago. Read on the server too, so it is right without JavaScript.
 */
export function useCurrentPage() {
  const pathname = usePathname()
  const searchParams = useSearchParams()
  const search = searchParams.toString()
  return { pathname, searchParams, href: search ? `${pathname}?${search}` : pathname }
}

/** A hidden field holding the page the form sits on (useCurrentPage), so that its action can come back to it. */
export function CurrentPageField({ name }: { name: string }) {
  return <input type="hidden" name={name} value={useCurrentPage().href} />
}
