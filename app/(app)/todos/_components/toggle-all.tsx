'use client'
import { useTranslations } from 'next-intl'
import { setAllDoneAction } from '../actions'
import { outboxSubmit, type Outbox } from './use-outbox'

export function ToggleAll({ allDone, enqueue }: { allDone: boolean; enqueue: Outbox['enqueue'] }) {
  const t = useTranslations('todos')
  const setAll = (form: FormData) => enqueue({ type: 'set-all-done', isDone: form.get('isDone') === 'true' })
  return (
    <form action={setAllDoneAction} onSubmit={(event) => outboxSubmit(event, setAll)} className="toggle-all-form">
      <input type="hidden" name="isDone" value={String(!allDone)} />
      <button type="submit" role="checkbox" aria-checked={allDone} className="toggle-all">
        <span className="check" aria-hidden="true" />
        {t('toggleAll')}
      </button>
    </form>
  )
}
