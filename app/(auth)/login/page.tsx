import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { safeReturnPath } from '@/lib/safe-redirect'
import { getViewer } from '@/server/auth/session'
import { LogInForm } from './log-in-form'

export const metadata: Metadata = { title: 'Log in' }

export default async function LogInPage({ searchParams }: PageProps<'/login'>) {
  const { callbackUrl } = await searchParams
  const returnTo = safeReturnPath(callbackUrl)
  if (await getViewer()) redirect(returnTo)
  return <LogInForm returnTo={returnTo} />
}
