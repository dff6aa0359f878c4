import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { safeReturnPath } from '@/lib/safe-redirect'
import { getViewer } from '@/server/auth/session'
import { SignUpForm } from './sign-up-form'

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.signup'))('title') }
}

export default async function SignUpPage({ searchParams }: PageProps<'/signup'>) {
  const { callbackUrl } = await searchParams
  const returnTo = safeReturnPath(callbackUrl)
  if (await getViewer()) redirect(returnTo)
  return <SignUpForm returnTo={returnTo} />
}
