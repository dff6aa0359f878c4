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
      <ChoiceGroup
        action={setLocaleAction}
        label={t('language')}
        name="locale"
        current={locale}
        // Each language named in itself, and marked as such for screen readers.
        choices={LOCALES.map((option) => ({ value: option, label: LOCALE_NAMES[option], lang: option }))}
      />
      <ChoiceGroup
        action={setThemeAction}
        label={t('theme')}
        name="theme"
        current={theme}
        choices={THEMES.map((option) => ({ value: option, label: t(`themes.${option}`) }))}
      />
    </div>
  )
}

type Choice = { value: string; label: string; lang?: string }

/** One form, one submit button per choice; the current one is pressed. */
function ChoiceGroup(props: {
  action: (form: FormData) => Promise<void>
  label: string
  name: string
  current: string
  choices: Choice[]
}) {
  return (
    <form action={props.action} className={styles.group} role="group" aria-label={props.label}>
      <CurrentPageField name="returnTo" />
      {props.choices.map((choice) => (
        <button
          key={choice.value}
          type="submit"
          name={props.name}
          value={choice.value}
          lang={choice.lang}
          className={styles.option}
          aria-pressed={choice.value === props.current}
        >
          {choice.label}
        </button>
      ))}
    </form>
  )
}
