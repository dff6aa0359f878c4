'use client'
import { useTranslations } from 'next-intl'
import { useHydrated } from '@/app/_components/use-hydrated'
import { setAllDoneAction } from '../actions'
import type { Outbox } from './use-outbox'

export function ToggleAll({ allDone, enqueue }: { allDone: boolean; enqueue: Outbox['enqueue'] }) {
  const t = useTranslations('todos')
  const hydrated = useHydrated()
  const setAll = () => enqueue({ type: 'set-all-done', isDone: !allDone })
  return (
    <form action={hydrated ? setAll : setAllDoneAction} className="toggle-all-form">
      <input type="hidden" name="isDone" value={String(!allDone)} />
      <button type="submit" role="checkbox" aria-checked={allDone} className="toggle-all">
        <span className="check" aria-hidden="true" />
        {t('toggleAll')}
      </button>
    </form>
  )
}
