'use client'
import { useTranslations } from 'next-intl'
import { NotFoundCard } from '@/app/_components/not-found-card'

/**
 * What a page shows when it calls notFound(). An address no route matches gets
 * app/global-not-found.tsx instead, with the signed-in header.
 *
 * A client component on purpose: Next renders each layout's not-found fallback ahead of need, on
 * every request of every page, and as a server component (the header included) it cost two
 * renders of the header per page (issue 15); a client component is a reference until it is shown.
 * It cannot ask who is signed in, so it links to `/`, which takes each visitor to their todos,
 * through the log-in page if need be.
 */
export default function NotFound() {
  const t = useTranslations('status')
  return <NotFoundCard title={t('notFound.title')} body={t('notFound.body')} link={{ href: '/', label: t('toTodos') }} />
}
