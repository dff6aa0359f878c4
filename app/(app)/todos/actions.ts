'use server'
import { revalidatePath } from 'next/cache'
import { z } from 'zod'
import { fieldErrorsOf, formText, type FormState } from '@/lib/form-state'
import { NewTodoSchema, TodoContentsSchema, TodoIdSchema } from '@/lib/validation/todo'
import { englishTranslator, INVALID_KEY, translateMessage } from '@/lib/validation/messages'
import { requireUser } from '@/server/auth/session'
import { clearCompleted, createTodo, deleteTodo, setAllDone, updateTodo } from '@/server/todos'

// i18n: the page locale's translator comes with the request config
const t = englishTranslator

// Every action is a public endpoint: each one resolves the viewer itself, validates its input
// with the shared schemas, and leaves ownership to the data layer's WHERE clauses.

export type NewTodoState = FormState<'contents'>

const BooleanFieldSchema = z.enum(['true', 'false']).transform((value) => value === 'true')

export async function createTodoAction(_prev: NewTodoState, form: FormData): Promise<NewTodoState> {
  const viewer = await requireUser()
  const contents = formText(form, 'contents')
  const input = NewTodoSchema.safeParse({ contents })
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error, t), values: { contents } }
  await createTodo(viewer, input.data)
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
  const todoId = TodoIdSchema.safeParse(id)
  if (!todoId.success) return { error: 'That todo no longer exists' }
  if (typeof contents === 'string' && contents.trim() === '') {
    await deleteTodo(viewer, todoId.data)
    revalidatePath('/todos')
    return {}
  }
  const input = TodoContentsSchema.safeParse(contents)
  if (!input.success) return { error: translateMessage(t, input.error.issues[0]?.message ?? INVALID_KEY) }
  const updated = await updateTodo(viewer, todoId.data, { contents: input.data })
  revalidatePath('/todos')
  return updated ? {} : { error: 'That todo no longer exists' }
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
