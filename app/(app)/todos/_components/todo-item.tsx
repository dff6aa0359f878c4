'use client'
import { useTranslations } from 'next-intl'
import { useRef, useState } from 'react'
import { useHydrated } from '@/app/_components/use-hydrated'
import type { TodoListPage } from '@/lib/todo-list'
import type { TrashNotice } from '@/lib/trash-notice'
import { translateMessage } from '@/lib/validation/messages'
import { TodoContentsSchema } from '@/lib/validation/todo'
import { deleteTodoAction, setTodoDoneAction } from '../actions'
import { TodoDetails } from './todo-details'
import { TodoMeta } from './todo-meta'
import { outboxSubmit, type Outbox } from './use-outbox'

type Item = TodoListPage['todos'][number]
type Props = {
  item: Item
  /** Where the row's changes go (stored, shown as made, sent): see use-outbox.ts. */
  enqueue: Outbox['enqueue']
  /** Shows the undo notice for what was just moved to the trash. */
  onTrashed: (notice: TrashNotice | null) => void
  /** When the page was rendered, and the viewer's zone: what "today" and "overdue" mean. */
  now: Date
  timeZone: string
  canRemind: boolean
  /** This row's details editor is open on load (see TodoDetails). */
  detailsOpen: boolean
  /** The page the row is on (path and query), where its no-JavaScript posts come back to. */
  returnTo: string
  /** This page with this row's details editor open (the details toggle before scripts run). */
  detailsHref: string
}

export function TodoItemRow({ item, enqueue, onTrashed, now, timeZone, canRemind, detailsOpen, returnTo, detailsHref }: Props) {
  const t = useTranslations('todos')
  const hydrated = useHydrated()
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string>()
  const editButton = useRef<HTMLButtonElement>(null)
  const labelId = `todo-${item.id}-label`

  // The form's own fields, as its plain post would send them.
  const setDone = (form: FormData) => enqueue({ type: 'set-done', id: Number(form.get('id')), isDone: form.get('isDone') === 'true' })
  const remove = (form: FormData) => {
    enqueue({ type: 'delete', id: Number(form.get('id')) }, { onResult: (result) => onTrashed(result.notice ?? null) })
    document.getElementById('new-todo')?.focus() // this row is about to disappear with the focus
  }
  const saveText = (contents: string) => {
    setError(undefined)
    enqueue(
      { type: 'edit', id: item.id, contents },
      {
        onResult: (result) => {
          setError(result.error)
          if (result.notice) onTrashed(result.notice) // emptied: in the trash, one click from undone
        },
      },
    )
  }
  const finishEditing = (how: 'keyboard' | 'blur') => {
    setEditing(false)
    if (how === 'keyboard') requestAnimationFrame(() => editButton.current?.focus())
  }

  if (editing) {
    return (
      <li className="todo-item editing">
        <TodoEditor item={item} onSave={saveText} onFinish={finishEditing} />
      </li>
    )
  }

  return (
    <li className={`todo-item${item.isDone ? ' completed' : ''}`} aria-busy={item.pending ? true : undefined}>
      <form action={setTodoDoneAction} onSubmit={(event) => outboxSubmit(event, setDone)} className="todo-toggle-form">
        <input type="hidden" name="id" value={item.id} />
        <input type="hidden" name="isDone" value={String(!item.isDone)} />
        <button type="submit" role="checkbox" aria-checked={item.isDone} aria-labelledby={labelId} className="todo-toggle">
          <span className="check" aria-hidden="true" />
        </button>
      </form>
      <div className="todo-main">
        <span id={labelId} className="todo-text" onDoubleClick={() => setEditing(true)}>
          {item.contents}
        </span>
        <TodoMeta item={item} now={now} timeZone={timeZone} />
      </div>
      {/* Editing needs JavaScript; without it the button would do nothing, so it appears on hydration. */}
      {hydrated ? (
        <button
          ref={editButton}
          type="button"
          className="icon-button"
          data-icon="pencil"
          onClick={() => setEditing(true)}
          aria-label={t('edit', { contents: item.contents })}
          title={t('editTitle')}
        />
      ) : null}
      <form action={deleteTodoAction} onSubmit={(event) => outboxSubmit(event, remove)} className="todo-delete-form">
        <input type="hidden" name="id" value={item.id} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <button
          type="submit"
          className="icon-button icon-button-danger"
          data-icon="cross"
          aria-label={t('delete', { contents: item.contents })}
          title={t('deleteTitle')}
        />
      </form>
      <TodoDetails item={item} timeZone={timeZone} now={now} canRemind={canRemind} enqueue={enqueue} openOnLoad={detailsOpen} openHref={detailsHref} />
      {error ? (
        <p className="field-error todo-item-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  )
}

type EditorProps = {
  item: Item
  onSave: (contents: string) => void
  onFinish: (how: 'keyboard' | 'blur') => void
}

/** The edit field: Enter or leaving it saves, Escape cancels, saving empty text deletes. */
function TodoEditor({ item, onSave, onFinish }: EditorProps) {
  const t = useTranslations()
  const [value, setValue] = useState(item.contents)
  const [error, setError] = useState<string>()
  // Enter and Escape end editing, which unmounts the field, which may fire blur: act once.
  const settled = useRef(false)

  const commit = (how: 'keyboard' | 'blur') => {
    if (settled.current) return
    const text = value.trim()
    if (text !== '' && text !== item.contents) {
      const parsed = TodoContentsSchema.safeParse(text)
      if (!parsed.success) {
        setError(translateMessage(t, parsed.error.issues[0]?.message ?? ''))
        return
      }
    }
    settled.current = true
    if (text !== item.contents) onSave(text)
    onFinish(how)
  }

  return (
    <div className="todo-editor">
      <input
        className="input todo-edit-input"
        value={value}
        autoFocus
        aria-label={t('todos.edit', { contents: item.contents })}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `todo-${item.id}-edit-error` : undefined}
        onChange={(event) => {
          setValue(event.target.value)
          setError(undefined)
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault()
            commit('keyboard')
          } else if (event.key === 'Escape') {
            settled.current = true
            onFinish('keyboard')
          }
        }}
        onBlur={() => commit('blur')}
      />
      {error ? (
        <p id={`todo-${item.id}-edit-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}
