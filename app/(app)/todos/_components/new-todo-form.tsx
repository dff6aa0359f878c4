'use client'
import { useTranslations } from 'next-intl'
import { useState } from 'react'
import type { NewTodoState } from '../actions'

type NewTodoFormProps = {
  state: NewTodoState
  /** The plain form post: before (and without) JavaScript. */
  action: (form: FormData) => void
  /** With JavaScript: takes the text into the outbox, or says no (false: the text stays, with the error in `state`). */
  onAdd: (text: string) => boolean
}

/**
 * The input is controlled and cleared as soon as a todo is taken, so the next one can be typed at
 * once. With JavaScript the submit never leaves the page: the text goes into the outbox in this
 * event (stored before anything else can happen to the tab). When the server refuses the text,
 * its reply puts the text back.
 */
export function NewTodoForm({ state, action, onAdd }: NewTodoFormProps) {
  const t = useTranslations('todos')
  const [text, setText] = useState(state.values?.contents ?? '')
  const [answered, setAnswered] = useState(state)
  if (state !== answered) {
    setAnswered(state)
    if (state.values?.contents !== undefined) setText(state.values.contents)
  }
  const errors = state.fieldErrors?.contents

  return (
    <form
      action={action}
      className="new-todo"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        if (onAdd(text)) setText('')
      }}
    >
      <label htmlFor="new-todo" className="new-todo-label">
        {t('newLabel')}
      </label>
      <div className="new-todo-row">
        <input
          id="new-todo"
          name="contents"
          className="input"
          placeholder={t('newPlaceholder')}
          autoComplete="off"
          autoFocus
          enterKeyHint="done"
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? 'new-todo-error' : undefined}
        />
        <button type="submit" className="button button-primary">
          {t('add')}
        </button>
      </div>
      {errors ? (
        <p id="new-todo-error" className="field-error" role="alert">
          {errors.join(' ')}
        </p>
      ) : null}
    </form>
  )
}
