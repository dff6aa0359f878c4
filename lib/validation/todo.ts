import { z } from 'zod'
import { TODO_MAX_LENGTH } from './limits'
import { charLength } from './text'

export const TodoContentsSchema = z
  .string({ error: 'Contents must be text' })
  // A lone UTF-16 surrogate cannot be stored in utf8mb4 (it would come back as U+FFFD).
  .refine((text) => text.isWellFormed(), { error: 'Contents must be valid Unicode text', abort: true })
  .trim()
  .min(1, { error: 'Enter what needs to be done' })
  .refine((text) => charLength(text) <= TODO_MAX_LENGTH, {
    error: `Keep it to ${TODO_MAX_LENGTH} characters or fewer`,
  })

export const TodoIdSchema = z.coerce
  .number({ error: 'Todo id must be a number' })
  .int({ error: 'Todo id must be a whole number' })
  .positive({ error: 'Todo id must be positive' })
  .max(2_147_483_647, { error: 'Todo id is out of range' })

export const NewTodoSchema = z.object({
  contents: TodoContentsSchema,
  isDone: z.boolean({ error: 'is_done must be true or false' }).default(false),
})

export const TodoPatchSchema = z
  .object({
    contents: TodoContentsSchema.optional(),
    isDone: z.boolean({ error: 'is_done must be true or false' }).optional(),
  })
  .refine((patch) => patch.contents !== undefined || patch.isDone !== undefined, {
    error: 'Give contents or is_done (or both)',
  })

export const TODO_FILTERS = ['all', 'active', 'completed'] as const
export type TodoFilter = (typeof TODO_FILTERS)[number]

/** Query-string filter: anything unknown falls back to "all" rather than erroring. */
export const TodoFilterSchema = z.enum(TODO_FILTERS).catch('all')

/** 1-based page number from the query string; nonsense falls back to the first page. */
export const PageNumberSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1)

export type NewTodoInput = z.infer<typeof NewTodoSchema>
export type TodoPatch = z.infer<typeof TodoPatchSchema>
