'use client'
import { useTranslations } from 'next-intl'
import { useActionState } from 'react'
import { SubmitButton } from '@/app/_components/submit-button'
import { saveTimeZoneAction, type TimeZoneState } from '../actions'

/** The time-zone chooser: a plain select of IANA zones, posted to a server action. */
export function TimeZoneForm({ current, zones }: { current: string; zones: string[] }) {
  const t = useTranslations('account.timeZone')
  const [state, action] = useActionState<TimeZoneState, FormData>(saveTimeZoneAction, {})
  const selected = state.values?.timeZone ?? current
  const errors = state.fieldErrors?.timeZone
  const describedBy = ['time-zone-hint', errors ? 'time-zone-error' : null].filter(Boolean).join(' ')
  return (
    <form action={action} className="stack" noValidate aria-labelledby="time-zone-heading">
      <h2 id="time-zone-heading">{t('heading')}</h2>
      {state.saved ? (
        <p className="form-success" role="status">
          {t('saved', { zone: state.saved })}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="time-zone">{t('label')}</label>
        {/* Keyed by the choice, so that React's reset after the action shows the saved zone. */}
        <select
          key={selected}
          id="time-zone"
          name="timeZone"
          className="input"
          defaultValue={selected}
          aria-invalid={errors ? true : undefined}
          aria-describedby={describedBy}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        <p id="time-zone-hint" className="field-hint">
          {t('hint')}
        </p>
        {errors ? (
          <p id="time-zone-error" className="field-error">
            {errors.join(' ')}
          </p>
        ) : null}
      </div>
      <SubmitButton pendingText={t('saving')}>{t('save')}</SubmitButton>
    </form>
  )
}
