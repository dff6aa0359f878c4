'use server'
import { revalidatePath } from 'next/cache'
import { z } from 'zod'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { translateMessage } from '@/lib/validation/messages'
import { DETAILS_FIELDS, MAX_REPEAT_INTERVAL, parseDetails, type DetailsField, type DetailsFields } from '@/lib/todo-details'
import { NewTodoSchema, TodoContentsSchema, TodoIdSchema, TodoPatchSchema } from '@/lib/validation/todo'
import { requireUser } from '@/server/auth/session'
import { describeWait, requestTranslator } from '@/server/i18n/translate'
import { TodoLimitError, WriteRateError } from '@/server/limits'
import { clearCompleted, createTodo, deleteTodo, setAllDone, TodoRuleError, updateTodo } from '@/server/todos'

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

export async function deleteTodoAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const id = TodoIdSchema.safeParse(form.get('id'))
  if (id.success) await deleteTodo(viewer, id.data)
  revalidatePath('/todos')
}

export type EditTodoResult = { error?: string }

/** Saves new text for a todo; empty text deletes it, as in TodoMVC. */
export async function editTodoAction(id: number, contents: string): Promise<EditTodoResult> {
  const viewer = await requireUser()
  const t = await requestTranslator()
  const todoId = TodoIdSchema.safeParse(id)
  if (!todoId.success) return { error: t('todos.errors.gone') }
  if (typeof contents === 'string' && contents.trim() === '') {
    await deleteTodo(viewer, todoId.data)
    revalidatePath('/todos')
    return {}
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

export async function clearCompletedAction(): Promise<void> {
  const viewer = await requireUser()
  await clearCompleted(viewer)
  revalidatePath('/todos')
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
