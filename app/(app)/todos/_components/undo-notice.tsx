'use client'
import { useTranslations } from 'next-intl'
import { useEffect, useRef, useState } from 'react'
import { CurrentPageField } from '@/app/_components/current-page-field'
import { DELETED_PARAM, parseDeletedIds, type TrashNotice } from '@/lib/trash-notice'
import { restoreTodosAction } from '../actions'
import { outboxSubmit, type Outbox } from './use-outbox'

/** How long the notice stays (paused while the keyboard or the pointer is on it). */
export const UNDO_NOTICE_MS = 10_000

type Props = {
  notice: TrashNotice | null
  /** Called when the notice ends: its time is up, or Undo was pressed. */
  onDismiss: () => void
  /** With JavaScript, Undo goes through the outbox like every change on the page. */
  enqueue: Outbox['enqueue']
}

/**
 * "Deleted “…” — Undo" after a delete or a clear-completed. The live region is always rendered
 * (a region added along with its text is often not announced); Undo is a plain form, so it works
 * before and without JavaScript. With JavaScript it goes away after UNDO_NOTICE_MS, and the
 * restored todos come back with the server's answer to the undo (revalidation), in their place.
 */
export function UndoNotice({ notice, onDismiss, enqueue }: Props) {
  const t = useTranslations('todos.undo')
  const [paused, setPaused] = useState(false)
  const dismiss = useRef(onDismiss)
  useEffect(() => {
    dismiss.current = onDismiss
  })

  useEffect(() => {
    if (!notice || paused) return
    const timer = setTimeout(() => {
      dismiss.current()
      // A notice that came with the page (?deleted=…) leaves the address too, so a reload does not bring it back.
      const url = new URL(window.location.href)
      if (url.searchParams.has(DELETED_PARAM)) {
        url.searchParams.delete(DELETED_PARAM)
        window.history.replaceState(window.history.state, '', url.pathname + url.search)
      }
    }, UNDO_NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice, paused])

  const undo = (form: FormData) => {
    enqueue({ type: 'undo', ids: parseDeletedIds(form.get('ids')) })
    dismiss.current()
    document.getElementById('new-todo')?.focus() // the Undo button is about to go with the focus
  }

  return (
    <div className="undo-region" role="status" aria-live="polite">
      {notice ? (
        <div
          className="undo-notice"
          onFocus={() => setPaused(true)}
          onBlur={() => setPaused(false)}
          onPointerEnter={() => setPaused(true)}
          onPointerLeave={() => setPaused(false)}
        >
          <span className="undo-text">
            {notice.contents !== null ? t('one', { contents: notice.contents }) : t('many', { count: notice.count })}
          </span>
          <form action={restoreTodosAction} onSubmit={(event) => outboxSubmit(event, undo)} className="undo-form">
            <input type="hidden" name="ids" value={notice.ids.join(',')} />
            <CurrentPageField name="returnTo" />
            <button type="submit" className="button button-quiet undo-button">
              {t('button')}
            </button>
          </form>
        </div>
      ) : null}
    </div>
  )
}
