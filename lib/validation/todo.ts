import { z } from 'zod'
import { TODO_MAX_LENGTH } from './limits'
import { charLength } from './text'

// C0 and C1 control characters (NUL, tab, line feed, escape, …): a todo is one line of text.
// Around the text they are trimmed away like spaces; inside it they are refused.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/

/**
 * A todo's text: trimmed and NFC-normalised (how it is stored), 1 to 256 code points, with every
 * script and emoji kept and no control characters.
 */
export const TodoContentsSchema = z
  .string({ error: 'validation.todo.type' })
  // A lone UTF-16 surrogate cannot be stored in utf8mb4 (it would come back as U+FFFD).
  .refine((text) => text.isWellFormed(), { error: 'validation.todo.malformed', abort: true })
  .trim()
  .normalize('NFC')
  .min(1, { error: 'validation.todo.empty' })
  .refine((text) => charLength(text) <= TODO_MAX_LENGTH, { error: 'validation.todo.tooLong' })
  .refine((text) => !CONTROL_CHARACTER.test(text), { error: 'validation.todo.controlCharacters' })

export const TodoIdSchema = z.coerce
  .number({ error: 'validation.todoId.type' })
  .int({ error: 'validation.todoId.notInteger' })
  .positive({ error: 'validation.todoId.notPositive' })
  .max(2_147_483_647, { error: 'validation.todoId.outOfRange' })

export const NewTodoSchema = z.object({
  contents: TodoContentsSchema,
  isDone: z.boolean({ error: 'validation.isDone.type' }).default(false),
})

// stand-in until D lands: RFC 3339 instants with any offset, as Dates; null clears.
const InstantSchema = z.iso
  .datetime({ offset: true, error: 'validation.invalid' })
  .transform((text) => new Date(text))
  .nullable()

export const TodoPatchSchema = z
  .object({
    contents: TodoContentsSchema.optional(),
    isDone: z.boolean({ error: 'validation.isDone.type' }).optional(),
    dueAt: InstantSchema.optional(), // stand-in until D lands
    remindAt: InstantSchema.optional(), // stand-in until D lands
    repeat: z.string().regex(/^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$/, { error: 'validation.invalid' }).nullable().optional(), // stand-in until D lands
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    error: 'validation.todoPatch.empty',
  })

export const TODO_FILTERS = ['all', 'active', 'completed', 'today', 'upcoming'] as const // stand-in until D lands
export type TodoFilter = (typeof TODO_FILTERS)[number]

/** Query-string filter: anything unknown falls back to "all" rather than erroring. */
export const TodoFilterSchema = z.enum(TODO_FILTERS).catch('all')

/** 1-based page number from the query string; nonsense falls back to the first page. */
export const PageNumberSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1)

export type NewTodoInput = z.infer<typeof NewTodoSchema>
export type TodoPatch = z.infer<typeof TodoPatchSchema>
