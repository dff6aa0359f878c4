import { getTranslations } from 'next-intl/server'
import { setLocaleAction, setThemeAction } from '@/app/preferences-actions'
import { LOCALE_NAMES, LOCALES, THEMES } from '@/lib/i18n/preferences'
import { requestPreferences } from '@/server/preferences'
import { CurrentPageField } from './current-page-field'
import styles from './preference-switchers.module.css'

/**
 * The language and theme choosers: plain forms with one button per choice, so that they work
 * without JavaScript, and the page comes back where it was.
 */
export async function PreferenceSwitchers({ placement }: { placement: 'header' | 'under-card' }) {
  const [{ locale, theme }, t] = await Promise.all([requestPreferences(), getTranslations('preferences')])
  return (
    <div className={`${styles.switchers} ${placement === 'header' ? styles.inHeader : styles.underCard}`}>
      <form action={setLocaleAction} className={styles.group} role="group" aria-label={t('language')}>
        <CurrentPageField name="returnTo" />
        {LOCALES.map((option) => (
          <button
            key={option}
            type="submit"
            name="locale"
            value={option}
            lang={option}
            className={styles.option}
            aria-pressed={option === locale}
          >
            {LOCALE_NAMES[option]}
          </button>
        ))}
      </form>
      <form action={setThemeAction} className={styles.group} role="group" aria-label={t('theme')}>
        <CurrentPageField name="returnTo" />
        {THEMES.map((option) => (
          <button
            key={option}
            type="submit"
            name="theme"
            value={option}
            className={styles.option}
            aria-pressed={option === theme}
          >
            {t(`themes.${option}`)}
          </button>
        ))}
      </form>
    </div>
  )
}
