'use client'
import Link from 'next/link'
import { useFormatter, useTranslations } from 'next-intl'
import { useActionState, useEffect, useRef, useState, type ReactNode } from 'react'
import { useHydrated } from '@/app/_components/use-hydrated'
import type { TodoItem } from '@/lib/todo-list'
import {
  DETAILS_FIELDS,
  detailsEditorId,
  DEFAULT_DUE_TIME,
  MAX_REPEAT_INTERVAL,
  parseDetails,
  parseRepeatRule,
  REMINDER_CHOICES,
  reminderChoiceOf,
  REPEAT_CHOICES,
  sampleDateOf,
  toLocalFields,
  weekdayOf,
  WEEKDAYS,
  type DetailsField,
  type DetailsFields,
} from '@/lib/todo-details'
import { saveTodoDetailsAction, type TodoDetailsState } from '../actions'
import { outboxSubmit, type Outbox } from './use-outbox'

type Props = {
  item: TodoItem
  timeZone: string
  now: Date
  canRemind: boolean
  enqueue: Outbox['enqueue']
  /** The page was asked for with this todo's editor open (`?details=<id>`, the link below). */
  openOnLoad: boolean
  /** This page with this todo's editor open: where the toggle links before scripts run. */
  openHref: string
}

/** The form's values for a saved todo, in the viewer's zone. */
function fieldsOf(item: TodoItem, timeZone: string, now: Date): DetailsFields {
  const due = toLocalFields(item.dueAt, timeZone)
  const remind = reminderChoiceOf(item.dueAt, item.remindAt)
  const remindAt = toLocalFields(remind === 'custom' ? item.remindAt : null, timeZone)
  const fallbackWeekday = weekdayOf(item.dueAt ? new Date(item.dueAt) : now, timeZone)
  const repeat = parseRepeatRule(item.repeat, fallbackWeekday)
  return {
    dueDate: due.date,
    dueTime: due.time,
    remind,
    remindDate: remindAt.date,
    remindTime: remindAt.time,
    repeat: repeat?.choice ?? 'keep',
    repeatWeekday: repeat?.weekday ?? fallbackWeekday,
    repeatInterval: String(repeat?.interval ?? 2),
  }
}

/**
 * A todo's due date, reminder and repeat, behind a disclosure. A plain server-action form: without
 * JavaScript it posts every field and the page comes back with the errors beside their fields and
 * the values kept; with it, the list shows the change at once. Escape closes it, and the focus
 * goes back to its toggle.
 *
 * The form (a dozen fields, forty choices) is rendered for an open editor only: rendered closed in
 * every row it was most of the list page's size and of its server time (issue 15). Scripts running,
 * the disclosure opens in place; before or without them, its toggle is a link to this page with
 * `?details=<id>`, which the server renders with that editor open.
 */
export function TodoDetails(props: Props) {
  const hydrated = useHydrated()
  // Closed before scripts run (every row of a page load but the one in ?details=): the link alone,
  // without the disclosure's state, which is only needed once it can open in place.
  if (!hydrated && !props.openOnLoad) return <DetailsLink item={props.item} href={props.openHref} />
  return <DetailsDisclosure {...props} hydrated={hydrated} />
}

/** The toggle before scripts run: a link to this page with the editor open. */
function DetailsLink({ item, href }: { item: TodoItem; href: string }) {
  return <a href={href} {...useToggleProps(item)} />
}

/** The link and the summary are one toggle, before and after scripts run. */
function useToggleProps(item: TodoItem) {
  const t = useTranslations('todos.details')
  return { className: 'icon-button todo-details-toggle', 'data-icon': 'calendar', 'aria-label': t('open', { contents: item.contents }), title: t('openTitle') }
}

function DetailsDisclosure({ item, timeZone, now, canRemind, enqueue, openOnLoad, openHref, hydrated }: Props & { hydrated: boolean }) {
  const t = useTranslations('todos.details')
  const tDue = useTranslations('todos.due')
  const toggle = useToggleProps(item)
  const [posted, dispatch, pending] = useActionState<TodoDetailsState, FormData>(saveTodoDetailsAction, {})
  // With JavaScript the answer comes from the outbox: {} when the change is taken, errors if the server refuses it.
  const [outboxAnswer, setOutboxAnswer] = useState<TodoDetailsState | null>(null)
  const state = outboxAnswer ?? posted
  const failed = Boolean(state.fieldErrors || state.formError)
  // Open from the link until it is saved; a refusal keeps it open, with the errors.
  const [open, setOpen] = useState(failed || (openOnLoad && !state.saved))
  const [answered, setAnswered] = useState(state)
  const [version, setVersion] = useState(0)
  const summary = useRef<HTMLElement>(null)
  if (state !== answered) {
    setAnswered(state)
    setVersion(version + 1) // the fields start again from the answer (or from the saved todo)
    setOpen(failed)
  }
  useEffect(() => {
    if (state.saved) summary.current?.focus()
  }, [state.saved])

  const save = (form: FormData) => {
    const fields = Object.fromEntries(DETAILS_FIELDS.map((name) => [name, String(form.get(name) ?? '')])) as DetailsFields
    const parsed = parseDetails(fields, timeZone)
    const preview = parsed.ok
      ? { dueAt: parsed.patch.dueAt?.toISOString() ?? null, remindAt: parsed.patch.remindAt?.toISOString() ?? null, repeat: parsed.patch.repeat }
      : null
    enqueue(
      { type: 'set-details', id: item.id, fields, preview },
      {
        onResult: (result) => {
          if (result.ok) return
          setOutboxAnswer({
            fieldErrors: result.fieldErrors,
            formError: result.fieldErrors ? undefined : result.error,
            values: (result.values as DetailsFields | undefined) ?? fields,
          })
        },
      },
    )
    setOutboxAnswer({}) // closes the editor: the list shows the change
    summary.current?.focus()
  }
  const close = () => {
    setOpen(false)
    summary.current?.focus()
  }
  // Saved without scripts: closed again, so the link again.
  if (!hydrated && !open) return <DetailsLink item={item} href={openHref} />
  const values = state.values ? (state.values as DetailsFields) : fieldsOf(item, timeZone, now)

  return (
    <details
      id={detailsEditorId(item.id)}
      className="todo-details"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.preventDefault()
          close()
        }
      }}
    >
      <summary ref={summary} {...toggle} />
      {/* A closed editor renders no fields (see above); the row's text stays the todo's own. */}
      {!open ? null : (
      <form action={dispatch} onSubmit={(event) => outboxSubmit(event, save)} className="todo-details-form" noValidate>
        <input type="hidden" name="id" value={item.id} />
        {state.formError ? (
          <p className="form-alert" role="alert">
            {state.formError}
          </p>
        ) : null}
        <DetailsInputs
          key={`${version}:${item.dueAt}:${item.remindAt}:${item.repeat}`}
          id={item.id}
          values={values}
          rule={item.repeat}
          errors={state.fieldErrors ?? {}}
          hydrated={hydrated}
          timeZone={timeZone}
          reminderNotice={
            canRemind ? null : (
              <p className="field-hint todo-details-notice">
                {tDue.rich('emailNeeded', { link: (chunks) => <Link href="/account">{chunks}</Link> })}
              </p>
            )
          }
        />
        <div className="todo-details-actions">
          <button type="submit" className="button button-primary" aria-busy={pending}>
            {pending ? t('saving') : t('save')}
          </button>
          {hydrated ? (
            <button type="button" className="button button-quiet" onClick={close}>
              {t('close')}
            </button>
          ) : null}
        </div>
      </form>
      )}
    </details>
  )
}

type InputsProps = {
  id: number
  values: DetailsFields
  rule: string | null
  errors: Partial<Record<DetailsField, string[]>>
  hydrated: boolean
  timeZone: string
  reminderNotice: ReactNode
}

/** The fields; choices that need more (a date, a weekday, a number) show it only when chosen, once scripts run. */
function DetailsInputs({ id, values, rule, errors, hydrated, timeZone, reminderNotice }: InputsProps) {
  const t = useTranslations('todos.details')
  const format = useFormatter()
  const [remind, setRemind] = useState(values.remind)
  const [repeat, setRepeat] = useState(values.repeat)
  const prefix = detailsEditorId(id)
  const field = (name: DetailsField, label: string, input: (props: FieldProps) => ReactNode, hint?: string, shown = true) => {
    const fieldId = `${prefix}-${name}`
    const messages = errors[name]
    const describedBy = [messages?.length ? `${fieldId}-error` : null, hint ? `${fieldId}-hint` : null].filter(Boolean).join(' ')
    return (
      <div className="field" hidden={hydrated && !shown}>
        <label htmlFor={fieldId}>{label}</label>
        {input({
          id: fieldId,
          name,
          'aria-invalid': messages?.length ? true : undefined,
          'aria-describedby': describedBy || undefined,
        })}
        {hint ? (
          <p id={`${fieldId}-hint`} className="field-hint">
            {hint}
          </p>
        ) : null}
        {messages?.length ? (
          <p id={`${fieldId}-error`} className="field-error">
            {messages.join(' ')}
          </p>
        ) : null}
      </div>
    )
  }

  return (
    <div className="todo-details-grid">
      {field('dueDate', t('dueDate'), (props) => <input {...props} type="date" className="input" defaultValue={values.dueDate} />)}
      {field(
        'dueTime',
        t('dueTime'),
        (props) => <input {...props} type="time" className="input" defaultValue={values.dueTime} />,
        t('dueTimeHint', { time: DEFAULT_DUE_TIME, zone: timeZone }),
      )}
      <div className="todo-details-group">
        {field('remind', t('remind'), (props) => (
          <select {...props} className="input" value={remind} onChange={(event) => setRemind(event.target.value)}>
            {REMINDER_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {t(`remindChoices.${choice}`)}
              </option>
            ))}
          </select>
        ))}
        {reminderNotice}
      </div>
      {field(
        'remindDate',
        t('remindDate'),
        (props) => <input {...props} type="date" className="input" defaultValue={values.remindDate} />,
        undefined,
        remind === 'custom',
      )}
      {field(
        'remindTime',
        t('remindTime'),
        (props) => <input {...props} type="time" className="input" defaultValue={values.remindTime} />,
        undefined,
        remind === 'custom',
      )}
      {field('repeat', t('repeat'), (props) => (
        <select {...props} className="input" value={repeat} onChange={(event) => setRepeat(event.target.value)}>
          {REPEAT_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {t(`repeatChoices.${choice}`)}
            </option>
          ))}
          {values.repeat === 'keep' && rule ? <option value="keep">{t('repeatChoices.keep', { rule })}</option> : null}
        </select>
      ))}
      {field(
        'repeatWeekday',
        t('repeatWeekday'),
        (props) => (
          <select {...props} className="input" defaultValue={values.repeatWeekday}>
            {WEEKDAYS.map((day) => (
              <option key={day} value={day}>
                {format.dateTime(sampleDateOf(day), { weekday: 'long', timeZone: 'UTC' })}
              </option>
            ))}
          </select>
        ),
        undefined,
        repeat === 'weekly',
      )}
      {field(
        'repeatInterval',
        t('repeatInterval'),
        (props) => (
          <input {...props} type="number" inputMode="numeric" min={1} max={MAX_REPEAT_INTERVAL} className="input" defaultValue={values.repeatInterval} />
        ),
        undefined,
        repeat === 'interval',
      )}
    </div>
  )
}

type FieldProps = {
  id: string
  name: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}
