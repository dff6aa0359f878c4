'use client'
import { useTranslations } from 'next-intl'
import { useState } from 'react'
import type { NewTodoState } from '../actions'

type NewTodoFormProps = {
  state: NewTodoState
  action: (form: FormData) => void
  pending: boolean
  onSubmitText: (text: string) => void
}

/**
 * The input is controlled and cleared as soon as a todo is submitted, so the next one can be typed
 * while the first is saving (React's automatic reset after the action would otherwise wipe it).
 * When the server refuses the text, its reply puts the text back.
 */
export function NewTodoForm({ state, action, pending, onSubmitText }: NewTodoFormProps) {
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
      onSubmit={() => {
        // The form's data is read from the DOM during this event, before this update renders.
        onSubmitText(text.trim())
        if (text.trim() !== '') setText('')
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
        <button type="submit" className="button button-primary" aria-busy={pending}>
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
