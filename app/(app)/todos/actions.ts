'use server'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { translateMessage } from '@/lib/validation/messages'
import { DETAILS_FIELDS, MAX_REPEAT_INTERVAL, parseDetails, type DetailsField, type DetailsFields } from '@/lib/todo-details'
import { NewTodoSchema, TodoContentsSchema, TodoIdSchema, TodoPatchSchema } from '@/lib/validation/todo'
import { parseDeletedIds, withDeletedIds, withoutDeletedIds, type TrashNotice } from '@/lib/trash-notice'
import { requireUser } from '@/server/auth/session'
import { describeWait, requestTranslator } from '@/server/i18n/translate'
import { TodoLimitError, WriteRateError } from '@/server/limits'
import { createTodo, deleteTodo, listTrash, restoreTodos, setAllDone, trashCompleted, TodoRuleError, updateTodo } from '@/server/todos'
import type { Viewer } from '@/server/users'

// Every action is a public endpoint: each one resolves the viewer itself, validates its input
// with the shared schemas, and leaves ownership to the data layer's WHERE clauses.

export type NewTodoState = FormState<'contents'>

const BooleanFieldSchema = z.enum(['true', 'false']).transform((value) => value === 'true')

export async function createTodoAction(_prev: NewTodoState, form: FormData): Promise<NewTodoState> {
  const viewer = await requireUser()
  const contents = formText(form, 'contents')
  const input = NewTodoSchema.safeParse({ contents })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, await requestTranslator()), values: { contents } }
  try {
    await createTodo(viewer, input.data)
  } catch (error) {
    // The fair-use limits: said beside the field, the text kept for another try.
    const t = await requestTranslator()
    if (error instanceof TodoLimitError) return { fieldErrors: { contents: [t('todos.errors.limit', { limit: error.limit })] }, values: { contents } }
    if (error instanceof WriteRateError) {
      return { fieldErrors: { contents: [t('todos.errors.slowDown', { wait: describeWait(t, error.retryAfterSeconds) })] }, values: { contents } }
    }
    throw error
  }
  revalidatePath('/todos')
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

/** Moves one todo to the trash and answers with the undo notice (null: it was not the viewer's). */
export async function trashTodoAction(form: FormData): Promise<TrashNotice | null> {
  const viewer = await requireUser()
  const id = TodoIdSchema.safeParse(form.get('id'))
  const trashed = id.success && (await deleteTodo(viewer, id.data))
  revalidatePath('/todos')
  return trashed ? noticeFor(viewer, [id.data]) : null
}

/** The form post without JavaScript: trash, then back to the same list with the notice. */
export async function deleteTodoAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const id = TodoIdSchema.safeParse(form.get('id'))
  const trashed = id.success && (await deleteTodo(viewer, id.data))
  revalidatePath('/todos')
  redirect(withDeletedIds(form.get('returnTo'), trashed ? [id.data] : []))
}

/** Puts back what the notice names (only what is in the viewer's trash), and answers nothing. */
export async function undoTrashAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  await restoreTodos(viewer, parseDeletedIds(form.get('ids')))
  revalidatePath('/todos')
  revalidatePath('/trash')
}

/** Undo without JavaScript: restore, then back to the list the notice was on, without the notice. */
export async function restoreTodosAction(form: FormData): Promise<void> {
  await undoTrashAction(form)
  redirect(withoutDeletedIds(form.get('returnTo')))
}

export type EditTodoResult = { error?: string; notice?: TrashNotice | null }

/** Saves new text for a todo; empty text moves it to the trash, as TodoMVC deletes it (with the undo notice). */
export async function editTodoAction(id: number, contents: string): Promise<EditTodoResult> {
  const viewer = await requireUser()
  const t = await requestTranslator()
  const todoId = TodoIdSchema.safeParse(id)
  if (!todoId.success) return { error: t('todos.errors.gone') }
  if (typeof contents === 'string' && contents.trim() === '') {
    const trashed = await deleteTodo(viewer, todoId.data)
    revalidatePath('/todos')
    return { notice: trashed ? await noticeFor(viewer, [todoId.data]) : null }
  }
  const input = TodoContentsSchema.safeParse(contents)
  if (!input.success) return { error: translateMessage(t, input.error.issues[0]?.message ?? '') }
  const updated = await updateTodo(viewer, todoId.data, { contents: input.data })
  revalidatePath('/todos')
  return updated ? {} : { error: t('todos.errors.gone') }
}

export async function setAllDoneAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const isDone = BooleanFieldSchema.safeParse(form.get('isDone'))
  if (isDone.success) await setAllDone(viewer, isDone.data)
  revalidatePath('/todos')
}

/** Moves the completed todos to the trash and answers with the undo notice. */
export async function trashCompletedAction(): Promise<TrashNotice | null> {
  const viewer = await requireUser()
  const ids = await trashCompleted(viewer)
  revalidatePath('/todos')
  return noticeFor(viewer, ids)
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
  const t = await requestTranslator()
  const values = Object.fromEntries(DETAILS_FIELDS.map((name) => [name, formText(form, name)])) as DetailsFields
  const id = TodoIdSchema.safeParse(form.get('id'))
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
    updated = await updateTodo(viewer, id.data, checked.data)
  } catch (error) {
    // A reminder already past, or a repeat without a due date: said beside the field it concerns.
    if (!(error instanceof TodoRuleError)) throw error
    return { fieldErrors: { [fieldOf[error.field] ?? 'dueDate']: [translateMessage(t, error.key)] }, values }
  }
  revalidatePath('/todos')
  return updated ? { saved: Date.now() } : { formError: t('todos.errors.gone'), values }
}
