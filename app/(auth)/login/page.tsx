import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { safeReturnPath } from '@/lib/safe-redirect'
import { getViewer } from '@/server/auth/session'
import { LogInForm } from './log-in-form'

export const metadata: Metadata = { title: 'Log in' }

export default async function LogInPage({ searchParams }: PageProps<'/login'>) {
  const { callbackUrl, ended, account } = await searchParams
  const returnTo = safeReturnPath(callbackUrl)
  if (await getViewer()) redirect(returnTo)
  const notice =
    account === 'deleted'
      ? 'Your account and all its todos were deleted.'
      : ended === 'everywhere'
        ? 'You are logged out on every device.'
        : undefined
  return <LogInForm returnTo={returnTo} notice={notice} />
}
