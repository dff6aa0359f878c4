'use client'
import { usePathname, useSearchParams } from 'next/navigation'

/**
 * A hidden field holding the page the form sits on, so that its action can come back to it. Read
 * from the router, not from the request that first rendered the header: a layout is not rendered
 * again when the visitor moves between its pages, so that request may be several pages ago.
 * Rendered on the server too, so it is right without JavaScript.
 */
export function CurrentPageField({ name }: { name: string }) {
  const pathname = usePathname()
  const search = useSearchParams().toString()
  return <input type="hidden" name={name} value={search ? `${pathname}?${search}` : pathname} />
}
