'use client'
import { useTranslations } from 'next-intl'
import { useHydrated } from '@/app/_components/use-hydrated'
import type { TodoChange } from '@/lib/todo-list'
import { setAllDoneAction } from '../actions'

export function ToggleAll({ allDone, onChange }: { allDone: boolean; onChange: (change: TodoChange) => void }) {
  const t = useTranslations('todos')
  const hydrated = useHydrated()
  const setAll = async (form: FormData) => {
    onChange({ type: 'set-all-done', isDone: !allDone })
    await setAllDoneAction(form)
  }
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
