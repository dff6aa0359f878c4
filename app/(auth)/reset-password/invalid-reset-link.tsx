import Link from 'next/link'
import { useTranslations } from 'next-intl'

/** What an unknown, expired, used or superseded link shows: why, and the way to a new one. */
export function InvalidResetLink() {
  const t = useTranslations('auth.reset')
  return (
    <>
      <h1>{t('invalidTitle')}</h1>
      <p className="form-alert" role="alert">
        {t('invalid')}
      </p>
      <p className="auth-actions">
        <Link href="/forgot-password" className="button button-primary">
          {t('requestNew')}
        </Link>
      </p>
    </>
  )
}
