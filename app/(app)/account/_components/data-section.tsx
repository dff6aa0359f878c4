'use client'
import { useTranslations } from 'next-intl'
import { useActionState } from 'react'
import { SubmitButton } from '@/app/_components/submit-button'
import { importDataAction, type ImportState } from '../data-actions'

/**
 * "Your data": download links (plain links to the API, which reads the session cookie) and the
 * import form, a plain multipart post to a server action, so both work without JavaScript.
 */
export function DataSection({ count, limit, maxTodos }: { count: number; limit: number; maxTodos: number }) {
  const t = useTranslations('account.data')
  const [state, action] = useActionState<ImportState, FormData>(importDataAction, {})
  const describedBy = ['import-file-hint', state.error ? 'import-error' : null].filter(Boolean).join(' ')
  return (
    <section className="stack" aria-labelledby="data-heading">
      <h2 id="data-heading">{t('heading')}</h2>
      <p>{t('description')}</p>
      <ul className="inline-actions data-downloads">
        <li>
          <a href="/api/export" download className="button button-quiet">
            {t('downloadJson')}
          </a>
        </li>
        <li>
          <a href="/api/export?format=csv" download className="button button-quiet">
            {t('downloadCsv')}
          </a>
        </li>
      </ul>
      <p className="field-hint">{t('usage', { count, limit })}</p>
      <form action={action} className="stack" aria-labelledby="import-heading">
        <h3 id="import-heading">{t('importHeading')}</h3>
        {state.imported ? (
          <p className="form-success" role="status">
            {t('imported', state.imported)}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="import-file">{t('fileLabel')}</label>
          <input
            id="import-file"
            name="file"
            type="file"
            className="input"
            accept=".json,.csv,application/json,text/csv"
            aria-invalid={state.error ? true : undefined}
            aria-describedby={describedBy}
          />
          <p id="import-file-hint" className="field-hint">
            {t('fileHint', { max: maxTodos })}
          </p>
          {state.error ? (
            <div id="import-error" className="field-error" role="alert">
              <p>
                {t('failed')} {state.error}
              </p>
              {state.rows && state.rows.length > 0 ? (
                <ul className="import-errors">
                  {state.rows.map((row) => (
                    <li key={row}>{row}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
        <SubmitButton pendingText={t('importing')}>{t('submit')}</SubmitButton>
      </form>
    </section>
  )
}
