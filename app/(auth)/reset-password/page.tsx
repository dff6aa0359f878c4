import type { Metadata } from 'next'
import { getTranslations } from 'next-intl/server'
import { findPasswordReset } from '@/server/password-reset'
import { InvalidResetLink } from './invalid-reset-link'
import { ResetPasswordForm } from './reset-password-form'

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.reset'))('title') }
}

/**
 * The page a reset email links to. The token is checked (not used up) before the form is shown, so
 * a dead link says so at once instead of after a new password was typed; the action checks again.
 */
export default async function ResetPasswordPage({ searchParams }: PageProps<'/reset-password'>) {
  const { token } = await searchParams
  const candidate = typeof token === 'string' ? token : ''
  const account = candidate ? await findPasswordReset(candidate) : null
  if (!account) return <InvalidResetLink />
  return <ResetPasswordForm token={candidate} username={account.username} />
}
