'use client'
import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { useActionState, useEffect, useOptimistic, useState } from 'react'
import { applyTodoChange, isDueView, type TodoListPage } from '@/lib/todo-list'
import type { TrashNotice } from '@/lib/trash-notice'
import { createTodoAction, type NewTodoState } from '../actions'
import { NewTodoForm } from './new-todo-form'
import { TodoFooter } from './todo-footer'
import { TodoItemRow } from './todo-item'
import { ToggleAll } from './toggle-all'
import { UndoNotice } from './undo-notice'
import { LiveIndicator } from './live-indicator'
import { useLiveUpdates } from './use-live-updates'

/** The list page: the server's page of todos, with changes shown as soon as they are made. */
type Props = {
  list: TodoListPage
  /** When the server rendered the page (ISO), so that server and browser agree on "today". */
  now: string
  timeZone: string
  /** Whether the viewer has a verified email, which reminders are sent to. */
  canRemind: boolean
  /** The undo notice the page came with (`?deleted=…` after a delete without JavaScript). */
  notice: TrashNotice | null
  /** Whose list, and the version of it the server rendered (null: unknown, Redis was away). */
  userId: number
  version: number | null
}

export function TodoApp({ list, now: renderedAt, timeZone, canRemind, notice: pageNotice, userId, version }: Props) {
  const t = useTranslations('todos')
  const now = new Date(renderedAt)
  const [view, applyChange] = useOptimistic(list, applyTodoChange)
  // Adding keeps a plain server-action form (it works without JavaScript); while it is saving,
  // the new text is shown at the end of the list.
  const [addState, addAction, adding] = useActionState<NewTodoState, FormData>(createTodoAction, {})
  const [addingText, setAddingText] = useState('')
  const [notice, setNotice] = useState(pageNotice)
  // A new page notice (a later post without JavaScript, or a navigation) replaces the one shown.
  const [shownPageNotice, setShownPageNotice] = useState(pageNotice)
  if (pageNotice !== shownPageNotice) {
    setShownPageNotice(pageNotice)
    setNotice(pageNotice)
  }
  // While any change is unconfirmed, the optimistic view differs from the server's list.
  const saving = view !== list || adding
  useWarnBeforeLeaving(saving)
  const live = useLiveUpdates({ userId, version, busy: saving })
  const total = view.activeCount + view.completedCount
  // A new todo has no due date: the Today and Upcoming views would not list it.
  const showAdding =
    adding && addingText !== '' && view.page === view.pageCount && view.filter !== 'completed' && !isDueView(view.filter)
  const remindersWaiting = !canRemind && view.todos.some((item) => item.remindAt !== null && !item.isDone)

  return (
    <section className="card todo-card" aria-labelledby="todo-heading">
      <div className="todo-heading-row">
        <h1 id="todo-heading" className="todo-heading">
          {t.rich('heading', {
            username: view.username,
            owner: (chunks) => <span className="todo-owner">{chunks}</span>,
          })}
        </h1>
        <span className="save-status" role="status">
          {saving ? t('saving') : ''}
        </span>
        <LiveIndicator status={live} />
      </div>
      <NewTodoForm state={addState} action={addAction} pending={adding} onSubmitText={setAddingText} />
      {remindersWaiting ? (
        <p className="form-notice todo-notice">
          {t.rich('due.emailNeeded', { link: (chunks) => <Link href="/account">{chunks}</Link> })}
        </p>
      ) : null}
      {total > 0 ? <ToggleAll allDone={view.activeCount === 0} onChange={applyChange} /> : null}
      {view.todos.length > 0 || showAdding ? (
        <ul className="todo-list" aria-label={t('listLabel')}>
          {view.todos.map((item) => (
            <TodoItemRow key={item.id} item={item} onChange={applyChange} onTrashed={setNotice} now={now} timeZone={timeZone} canRemind={canRemind} />
          ))}
          {showAdding ? (
            <li className="todo-item todo-item-adding" aria-busy="true">
              <span className="todo-toggle-placeholder" aria-hidden="true" />
              <span className="todo-text">{addingText}</span>
              <span className="visually-hidden">{t('saving')}</span>
            </li>
          ) : null}
        </ul>
      ) : (
        <p className="todo-empty">{t(`empty.${emptyReason(view, total)}`)}</p>
      )}
      {total > 0 ? <TodoFooter view={view} onChange={applyChange} onTrashed={setNotice} /> : null}
      <UndoNotice notice={notice} onDismiss={() => setNotice(null)} />
      <p className="todo-trash-link">
        <Link href="/trash">{t('trashLink')}</Link>
      </p>
    </section>
  )
}

/** Asks before the tab closes or reloads while a change is still on its way to the server. */
function useWarnBeforeLeaving(unsaved: boolean) {
  useEffect(() => {
    if (!unsaved) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [unsaved])
}

/** Why the list shows nothing: the key of the sentence that says so under `todos.empty`. */
function emptyReason(view: TodoListPage, total: number): 'none' | 'active' | 'completed' | 'today' | 'upcoming' | 'page' {
  if (total === 0) return 'none'
  if (view.filter === 'all') return 'page'
  return view.filter
}
