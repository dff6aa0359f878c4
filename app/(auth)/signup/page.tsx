import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { safeReturnPath } from '@/lib/safe-redirect'
import { getViewer } from '@/server/auth/session'
import { SignUpForm } from './sign-up-form'

export const metadata: Metadata = { title: 'Sign up' }

export default async function SignUpPage({ searchParams }: PageProps<'/signup'>) {
  const { callbackUrl } = await searchParams
  const returnTo = safeReturnPath(callbackUrl)
  if (await getViewer()) redirect(returnTo)
  return <SignUpForm returnTo={returnTo} />
}
