'use server'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { OutboxChangeSchema, type OutboxChange } from '@/lib/outbox'
import { IdempotencyKeySchema, type IdempotencyKey } from '@/lib/validation/idempotency'
import { translateMessage } from '@/lib/validation/messages'
import { DETAILS_FIELDS, MAX_REPEAT_INTERVAL, parseDetails, type DetailsField, type DetailsFields } from '@/lib/todo-details'
import { NewTodoSchema, TodoContentsSchema, TodoIdSchema, TodoPatchSchema, TodoViewSchema, type TodoView } from '@/lib/validation/todo'
import type { TodoListPage } from '@/lib/todo-list'
import { parseDeletedIds, withDeletedIds, withoutDeletedIds, type TrashNotice } from '@/lib/trash-notice'
import { requireUser } from '@/server/auth/session'
import { describeWait, requestTranslator } from '@/server/i18n/translate'
import { TodoLimitError, WriteRateError } from '@/server/limits'
import { deleteTodo, listTodosWithVersion, listTrash, onceWrites, restoreTodos, setAllDone, trashCompleted, TodoRuleError, updateTodo } from '@/server/todos'
import { IdempotencyConflictError } from '@/server/idempotency'
import type { SignedInViewer, Viewer } from '@/server/users'

// Every action is a public endpoint: each one resolves the viewer itself, validates its input
// with the shared schemas, and leaves ownership to the data layer's WHERE clauses.

export type NewTodoState = FormState<'contents'>

const BooleanFieldSchema = z.enum(['true', 'false']).transform((value) => value === 'true')

export async function createTodoAction(_prev: NewTodoState, form: FormData): Promise<NewTodoState> {
  const viewer = await requireUser()
  const state = await addTodo(viewer, formText(form, 'contents'), undefined)
  if (!state.fieldErrors) revalidatePath('/todos')
  return state
}

/** Adds a todo (once per key): field errors and the text back when it is refused. */
async function addTodo(viewer: Viewer, contents: string, key: IdempotencyKey | undefined): Promise<NewTodoState> {
  const input = NewTodoSchema.safeParse({ contents })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, await requestTranslator()), values: { contents } }
  try {
    await onceWrites.createTodo(key, viewer, input.data)
  } catch (error) {
    // The fair-use limits: said beside the field, the text kept for another try.
    const t = await requestTranslator()
    if (error instanceof TodoLimitError) return { fieldErrors: { contents: [t('todos.errors.limit', { limit: error.limit })] }, values: { contents } }
    if (error instanceof WriteRateError) {
      return { fieldErrors: { contents: [t('todos.errors.slowDown', { wait: describeWait(t, error.retryAfterSeconds) })] }, values: { contents } }
    }
    throw error
  }
  return {}
}

/** Sets one todo done or not done. A todo that is gone (or never was the viewer's) is ignored. */
export async function setTodoDoneAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const id = TodoIdSchema.safeParse(form.get('id'))
  const isDone = BooleanFieldSchema.safeParse(form.get('isDone'))
  if (id.success && isDone.success) await updateTodo(viewer, id.data, { isDone: isDone.data })
  revalidatePath('/todos')
}

// Deleting moves todos to the trash and offers Undo. Each delete comes in two shapes: the page's
// script calls the one that answers with the notice; a plain form post (no JavaScript yet, or
// none) goes to the one that redirects back to the page it came from with `?deleted=<ids>`, which
// shows the same notice (lib/trash-notice.ts explains why the URL, not a cookie).

/** The notice for todos just trashed, from what the data layer says is in the viewer's trash. */
async function noticeFor(viewer: Viewer, ids: readonly number[]): Promise<TrashNotice | null> {
  if (ids.length === 0) return null
  const items = await listTrash(viewer, ids)
  if (items.length === 0) return null
  return { ids: items.map((item) => item.id), contents: items.length === 1 ? items[0]!.contents : null, count: items.length }
}

/** The form post without JavaScript: trash, then back to the same list with the notice. */
export async function deleteTodoAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const id = TodoIdSchema.safeParse(form.get('id'))
  const trashed = id.success && (await deleteTodo(viewer, id.data))
  revalidatePath('/todos')
  redirect(withDeletedIds(form.get('returnTo'), trashed ? [id.data] : []))
}

/** Undo without JavaScript: puts back what the notice names (only what is in the viewer's trash), then back to the list it was on, without the notice. */
export async function restoreTodosAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  await restoreTodos(viewer, parseDeletedIds(form.get('ids')))
  revalidatePath('/todos')
  redirect(withoutDeletedIds(form.get('returnTo')))
}

type EditTodoResult = { error?: string; notice?: TrashNotice | null }

/** Saves new text for a todo; empty text moves it to the trash, as TodoMVC deletes it (with the undo notice). */
async function editTodo(viewer: Viewer, id: unknown, contents: string, key: IdempotencyKey | undefined): Promise<EditTodoResult> {
  const t = await requestTranslator()
  const todoId = TodoIdSchema.safeParse(id)
  if (!todoId.success) return { error: t('todos.errors.gone') }
  if (typeof contents === 'string' && contents.trim() === '') {
    const { result: trashed } = await onceWrites.deleteTodo(key, viewer, todoId.data)
    return { notice: trashed ? await noticeFor(viewer, [todoId.data]) : null }
  }
  const input = TodoContentsSchema.safeParse(contents)
  if (!input.success) return { error: translateMessage(t, input.error.issues[0]?.message ?? '') }
  const { result: updated } = await onceWrites.updateTodo(key, viewer, todoId.data, { contents: input.data })
  return updated ? {} : { error: t('todos.errors.gone') }
}

export async function setAllDoneAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const isDone = BooleanFieldSchema.safeParse(form.get('isDone'))
  if (isDone.success) await setAllDone(viewer, isDone.data)
  revalidatePath('/todos')
}

/** Clear completed without JavaScript: back to the same list with the notice. */
export async function clearCompletedAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const ids = await trashCompleted(viewer)
  revalidatePath('/todos')
  redirect(withDeletedIds(form.get('returnTo'), ids))
}

export type TodoDetailsState = FormState<DetailsField> & { saved?: number }

/**
 * Saves a todo's due date, reminder and repeat from the details form. Dates and times are typed in
 * the viewer's zone and stored as UTC instants; the shared schema then judges them as it judges
 * the API's (a reminder in the past, a repeat without a due date). Errors come back per field,
 * with every value as it was posted.
 */
export async function saveTodoDetailsAction(_prev: TodoDetailsState, form: FormData): Promise<TodoDetailsState> {
  const viewer = await requireUser()
  const values = Object.fromEntries(DETAILS_FIELDS.map((name) => [name, formText(form, name)])) as DetailsFields
  const state = await saveDetails(viewer, form.get('id'), values, undefined)
  revalidatePath('/todos')
  return state
}

async function saveDetails(viewer: SignedInViewer, rawId: unknown, values: DetailsFields, key: IdempotencyKey | undefined): Promise<TodoDetailsState> {
  const t = await requestTranslator()
  const id = TodoIdSchema.safeParse(rawId)
  if (!id.success) return { formError: t('todos.errors.gone'), values }
  const parsed = parseDetails(values, viewer.timeZone)
  if (!parsed.ok) {
    const fieldErrors = Object.fromEntries(
      Object.entries(parsed.errors).map(([name, key]) => [name, [t(`todos.details.errors.${key}`, { max: MAX_REPEAT_INTERVAL })]]),
    )
    return { fieldErrors, values }
  }
  const { dueAt, remindAt, repeat } = parsed.patch
  // The schema speaks of instants; the form of the fields they were typed in.
  const fieldOf: Record<string, DetailsField> = {
    dueAt: 'dueDate',
    remindAt: values.remind === 'custom' ? 'remindDate' : 'remind',
    repeat: 'repeat',
  }
  const checked = TodoPatchSchema.safeParse({ dueAt, remindAt, ...(repeat === undefined ? {} : { repeat }) })
  if (!checked.success) {
    const fieldErrors: Partial<Record<DetailsField, string[]>> = {}
    for (const issue of checked.error.issues) {
      const name = fieldOf[String(issue.path[0])] ?? 'dueDate'
      ;(fieldErrors[name] ??= []).push(translateMessage(t, issue.message))
    }
    return { fieldErrors, values }
  }
  let updated
  try {
    updated = (await onceWrites.updateTodo(key, viewer, id.data, checked.data)).result
  } catch (error) {
    // A reminder already past, or a repeat without a due date: said beside the field it concerns.
    if (!(error instanceof TodoRuleError)) throw error
    return { fieldErrors: { [fieldOf[error.field] ?? 'dueDate']: [translateMessage(t, error.key)] }, values }
  }
  return updated ? { saved: Date.now() } : { formError: t('todos.errors.gone'), values }
}

// --- The page's outbox (lib/outbox.ts) -------------------------------------------------------------

/**
 * What the server made of one change from the page's outbox. `ok: false` is a refusal (the
 * text, a rule, a limit): the page drops the change and shows `error` (or the fields' errors).
 * A thrown error (the database unreachable) leaves the change in the outbox, to be sent again.
 */
export type ChangeResult = {
  ok: boolean
  error?: string
  fieldErrors?: Partial<Record<string, string[]>>
  values?: Partial<Record<string, string>>
  /** After a delete, an emptying edit or a clear: the undo notice. */
  notice?: TrashNotice | null
  /**
   * The page's list once the change is made, and the version it is at least as new as: the page
   * shows it in place of the one it was rendered with (lib/outbox.ts `newerList`). Absent when
   * the change was refused before it was tried (its form, a limit, a rule): nothing changed.
   */
  answer?: ListAnswer
}

export type ListAnswer = { list: TodoListPage; version: number | null }

const refused = (state: FormState): ChangeResult => ({
  ok: false,
  error: state.formError ?? Object.values(state.fieldErrors ?? {}).flat()[0],
  fieldErrors: state.fieldErrors,
  values: state.values,
})

/**
 * Applies one change from the page's outbox, once per `key` (a UUID the browser made): sent again
 * after a reload, from another tab or twice at once, it is not applied twice.
 *
 * It answers with the list `view` (the page's filter and page) shows now, read as the page reads
 * it, instead of revalidating the page: a revalidation made Next render the whole page again into
 * the answer, which cost a page render per click (issue 15). A page that does not name its view
 * (one loaded before this answer existed) still gets the revalidation it expects.
 */
export async function applyChangeAction(key: string, change: OutboxChange, view?: TodoView): Promise<ChangeResult> {
  const viewer = await requireUser()
  const t = await requestTranslator()
  const parsedKey = IdempotencyKeySchema.safeParse(key)
  const parsed = OutboxChangeSchema.safeParse(change)
  const parsedView = TodoViewSchema.optional().safeParse(view)
  if (!parsedKey.success || !parsed.success || !parsedView.success) return { ok: false, error: t('validation.invalid') }
  const once = parsedKey.data
  try {
    const result = await applyChange(viewer, once, parsed.data)
    if (!parsedView.data) {
      revalidatePath('/todos')
      return result
    }
    const { list, version } = await listTodosWithVersion(viewer, parsedView.data)
    return list ? { ...result, answer: { list, version } } : result
  } catch (error) {
    if (error instanceof TodoLimitError) return { ok: false, error: t('todos.errors.limit', { limit: error.limit }) }
    if (error instanceof WriteRateError) return { ok: false, error: t('todos.errors.slowDown', { wait: describeWait(t, error.retryAfterSeconds) }) }
    if (error instanceof TodoRuleError) return { ok: false, error: translateMessage(t, error.key) }
    if (error instanceof IdempotencyConflictError) return { ok: false, error: t('validation.invalid') }
    throw error
  }
}

async function applyChange(viewer: SignedInViewer, key: IdempotencyKey, change: OutboxChange): Promise<ChangeResult> {
  switch (change.type) {
    case 'add': {
      const state = await addTodo(viewer, change.contents, key)
      return state.fieldErrors ? refused(state) : { ok: true }
    }
    case 'set-done':
      await onceWrites.updateTodo(key, viewer, change.id, { isDone: change.isDone })
      return { ok: true }
    case 'edit': {
      const result = await editTodo(viewer, change.id, change.contents, key)
      return result.error ? { ok: false, error: result.error } : { ok: true, ...('notice' in result ? { notice: result.notice } : {}) }
    }
    case 'delete': {
      const { result: trashed } = await onceWrites.deleteTodo(key, viewer, change.id)
      return { ok: true, notice: trashed ? await noticeFor(viewer, [change.id]) : null }
    }
    case 'set-all-done':
      await onceWrites.setAllDone(key, viewer, change.isDone)
      return { ok: true }
    case 'clear-completed':
      return { ok: true, notice: await noticeFor(viewer, (await onceWrites.trashCompleted(key, viewer)).result) }
    case 'set-details': {
      const state = await saveDetails(viewer, change.id, change.fields, key)
      return state.fieldErrors || state.formError ? refused(state) : { ok: true }
    }
    case 'undo':
      await onceWrites.restoreTodos(key, viewer, change.ids)
      return { ok: true }
  }
}
