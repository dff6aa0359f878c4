'use client'
import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { useActionState, useEffect, useState } from 'react'
import { useCurrentPage } from '@/app/_components/current-page-field'
import { useHydrated } from '@/app/_components/use-hydrated'
import { detailsOpenHref } from '@/lib/todo-details'
import type { TodoListPage } from '@/lib/todo-list'
import { translateMessage } from '@/lib/validation/messages'
import { NewTodoSchema } from '@/lib/validation/todo'
import type { TrashNotice } from '@/lib/trash-notice'
import { createTodoAction, type NewTodoState } from '../actions'
import { NewTodoForm } from './new-todo-form'
import { TodoFooter } from './todo-footer'
import { TodoItemRow } from './todo-item'
import { ToggleAll } from './toggle-all'
import { UndoNotice } from './undo-notice'
import { LiveIndicator } from './live-indicator'
import { useLiveUpdates } from './use-live-updates'
import { useOutbox } from './use-outbox'

/** The list page: the server's page of todos, with changes shown as soon as they are made. */
type Props = {
  /** The viewer's id: the browser keeps each user's unsent changes apart. */
  userId: number
  list: TodoListPage
  /** When the server rendered the page (ISO), so that server and browser agree on "today". */
  now: string
  timeZone: string
  /** The undo notice the page came with (`?deleted=…` after a delete without JavaScript). */
  notice: TrashNotice | null
  /** The version of the list the server rendered (null: unknown, Redis was away); see useLiveUpdates. */
  version: number | null
  /** The todo whose details editor the page opens (`?details=<id>`, a link without JavaScript). */
  openDetails: number | null
}

export function TodoApp({ userId, list, now: renderedAt, timeZone, notice: pageNotice, version, openDetails }: Props) {
  // Whether the viewer has a verified email, which reminders are sent to: the server's, with the list.
  const { canRemind } = list
  const t = useTranslations('todos')
  const tAll = useTranslations()
  const hydrated = useHydrated()
  const now = new Date(renderedAt)
  // Every change goes through the outbox: stored in the browser first, shown as made over the
  // server's list until the server has applied it (docs/decisions/0016-nothing-typed-is-lost.md).
  const outbox = useOutbox(userId, list, version)
  const { view, adding, unsent, online, refusals, dismissRefusals, enqueue } = outbox
  // Without JavaScript (or before it runs), adding is a plain server-action form post.
  const [postedAdd, addAction] = useActionState<NewTodoState, FormData>(createTodoAction, {})
  const [addAnswer, setAddAnswer] = useState<NewTodoState | null>(null)
  const [notice, setNotice] = useState(pageNotice)
  // A new page notice (a later post without JavaScript, or a navigation) replaces the one shown.
  const [shownPageNotice, setShownPageNotice] = useState(pageNotice)
  if (pageNotice !== shownPageNotice) {
    setShownPageNotice(pageNotice)
    setNotice(pageNotice)
  }
  // Unsent changes are kept in this browser: leaving loses nothing unless nothing can send them soon.
  useWarnBeforeLeaving(!online && unsent > 0)
  // Changes made elsewhere: a refresh of the server's list (the outbox re-applies what is unsent).
  // The version is the shown list's: a change's answer brings its own, so the stream's word of
  // that change asks for no refresh.
  const live = useLiveUpdates({ userId, version: outbox.version, busy: unsent > 0 })
  const total = view.activeCount + view.completedCount
  // Where the rows' and the footer's posts without JavaScript come back to: read once for the list.
  const { pathname, searchParams, href: returnTo } = useCurrentPage()

  /** Checks the text here (the server checks it again), then hands it to the outbox; false keeps it in the field. */
  const add = (text: string): boolean => {
    const input = NewTodoSchema.safeParse({ contents: text })
    if (!input.success) {
      setAddAnswer({ fieldErrors: { contents: [translateMessage(tAll, input.error.issues[0]?.message ?? '')] }, values: { contents: text } })
      return false
    }
    setAddAnswer({})
    enqueue(
      { type: 'add', contents: input.data.contents },
      {
        onResult: (result) => {
          if (!result.ok) setAddAnswer({ fieldErrors: { contents: [result.error ?? ''] }, values: { contents: text } })
        },
      },
    )
    return true
  }
  const remindersWaiting = !canRemind && view.todos.some((item) => item.remindAt !== null && !item.isDone)

  return (
    // data-outbox: "ready" once scripts run and changes go through the outbox (tests wait for it).
    <section className="card todo-card" aria-labelledby="todo-heading" data-outbox={hydrated ? 'ready' : undefined}>
      <div className="todo-heading-row">
        <h1 id="todo-heading" className="todo-heading">
          {t.rich('heading', {
            username: view.username,
            owner: (chunks) => <span className="todo-owner">{chunks}</span>,
          })}
        </h1>
        <span className="save-status" role="status" aria-label={t('outbox.label')}>
          {unsent === 0 ? '' : online ? t('outbox.saving', { count: unsent }) : t('outbox.offline', { count: unsent })}
        </span>
        <LiveIndicator status={live} />
      </div>
      {refusals.length > 0 ? (
        <div className="form-alert todo-notice" role="alert">
          <p>{t('outbox.refused', { count: refusals.length })}</p>
          <ul>
            {refusals.map((error, index) => (
              <li key={index}>{error}</li>
            ))}
          </ul>
          <button type="button" className="button button-quiet" onClick={dismissRefusals}>
            {t('outbox.dismiss')}
          </button>
        </div>
      ) : null}
      <NewTodoForm state={addAnswer ?? postedAdd} action={addAction} onAdd={add} />
      {remindersWaiting ? (
        <p className="form-notice todo-notice">
          {t.rich('due.emailNeeded', { link: (chunks) => <Link href="/account">{chunks}</Link> })}
        </p>
      ) : null}
      {total > 0 ? <ToggleAll allDone={view.activeCount === 0} enqueue={enqueue} /> : null}
      {view.todos.length > 0 || adding.length > 0 ? (
        <ul className="todo-list" aria-label={t('listLabel')}>
          {view.todos.map((item) => (
            <TodoItemRow
              key={item.id}
              item={item}
              enqueue={enqueue}
              onTrashed={setNotice}
              now={now}
              timeZone={timeZone}
              canRemind={canRemind}
              detailsOpen={item.id === openDetails}
              returnTo={returnTo}
              detailsHref={detailsOpenHref(pathname, searchParams, item.id)}
            />
          ))}
          {adding.map((pending) => (
            <li key={pending.key} className="todo-item todo-item-adding" aria-busy="true">
              <span className="todo-toggle-placeholder" aria-hidden="true" />
              <span className="todo-text">{pending.contents}</span>
              <span className="visually-hidden">{t('outbox.notSaved')}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="todo-empty">{t(`empty.${emptyReason(view, total)}`)}</p>
      )}
      {total > 0 ? <TodoFooter view={view} returnTo={returnTo} enqueue={enqueue} onTrashed={setNotice} /> : null}
      <UndoNotice notice={notice} onDismiss={() => setNotice(null)} enqueue={enqueue} />
      <p className="todo-trash-link">
        <Link href="/trash">{t('trashLink')}</Link>
      </p>
    </section>
  )
}

/** Asks before the tab closes or reloads while offline with changes not yet sent. */
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
