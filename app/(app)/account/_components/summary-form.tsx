import { getTranslations } from 'next-intl/server'
import { SubmitButton } from '@/app/_components/submit-button'
import { setSummaryHourAction } from '../actions'

const HOURS = Array.from({ length: 24 }, (_, hour) => hour)

/** The morning-summary opt-in: off or an hour of the viewer's day. A server form: no JavaScript needed. */
export async function SummaryForm({
  hour,
  timeZone,
  hasVerifiedEmail,
  saved,
}: {
  hour: number | null
  timeZone: string
  hasVerifiedEmail: boolean
  saved: boolean
}) {
  const t = await getTranslations('account.summary')
  return (
    <form action={setSummaryHourAction} className="stack" aria-labelledby="summary-heading">
      <h2 id="summary-heading">{t('heading')}</h2>
      <p className="muted" id="summary-description">
        {t('description', { zone: timeZone })} {hasVerifiedEmail ? null : t('needsEmail')}
      </p>
      {saved ? (
        <p className="form-success" role="status">
          {t('saved')}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="summary-hour">{t('label')}</label>
        <select id="summary-hour" name="hour" className="input" defaultValue={hour === null ? 'off' : String(hour)} aria-describedby="summary-description">
          <option value="off">{t('off')}</option>
          {HOURS.map((value) => (
            <option key={value} value={String(value)}>
              {t('hour', { hour: String(value).padStart(2, '0') })}
            </option>
          ))}
        </select>
      </div>
      <SubmitButton pendingText={t('saving')}>{t('submit')}</SubmitButton>
    </form>
  )
}
