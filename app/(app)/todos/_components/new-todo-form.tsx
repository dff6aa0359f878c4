'use client'
import type { NewTodoState } from '../actions'

type NewTodoFormProps = {
  state: NewTodoState
  action: (form: FormData) => void
  pending: boolean
  onSubmitText: (text: string) => void
}

export function NewTodoForm({ state, action, pending, onSubmitText }: NewTodoFormProps) {
  const errors = state.fieldErrors?.contents
  return (
    <form
      action={action}
      className="new-todo"
      noValidate
      onSubmit={(event) => {
        const value = new FormData(event.currentTarget).get('contents')
        onSubmitText(typeof value === 'string' ? value.trim() : '')
      }}
    >
      <label htmlFor="new-todo" className="new-todo-label">
        What needs to be done?
      </label>
      <div className="new-todo-row">
        <input
          id="new-todo"
          name="contents"
          className="input"
          placeholder="e.g. Water the plants"
          autoComplete="off"
          autoFocus
          enterKeyHint="done"
          defaultValue={state.values?.contents}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? 'new-todo-error' : undefined}
        />
        <button type="submit" className="button button-primary" aria-busy={pending}>
          Add
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
