import type { Metadata } from 'next'
import { getTranslations } from 'next-intl/server'
import { PASSWORD_RESET_TTL_MINUTES } from '@/server/password-reset'
import { ForgotPasswordForm } from './forgot-password-form'

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.forgot'))('title') }
}

// Open to everyone, signed in or not: whoever holds the mailbox may ask for a link.
export default function ForgotPasswordPage() {
  return <ForgotPasswordForm validMinutes={PASSWORD_RESET_TTL_MINUTES} />
}
