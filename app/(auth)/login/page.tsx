import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { safeReturnPath } from '@/lib/safe-redirect'
import { getViewer } from '@/server/auth/session'
import { LogInForm } from './log-in-form'

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.login'))('title') }
}

export default async function LogInPage({ searchParams }: PageProps<'/login'>) {
  const { callbackUrl, ended, account, password } = await searchParams
  const returnTo = safeReturnPath(callbackUrl)
  if (await getViewer()) redirect(returnTo)
  const t = await getTranslations('auth.login')
  const notice =
    account === 'deleted'
      ? t('accountDeleted')
      : ended === 'everywhere'
        ? t('endedEverywhere')
        : password === 'reset'
          ? t('passwordReset')
          : undefined
  return <LogInForm returnTo={returnTo} notice={notice} />
}
