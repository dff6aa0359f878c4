import { z } from 'zod'
import { canonicalTimeZone, normaliseRepeatRule } from '../repeat'
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

// RFC 3339 date-time: a full date, a time (seconds optional, fractions allowed) and an offset or Z.
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-](\d{2}):(\d{2}))$/

/** The instant an RFC 3339 string names, to the whole second (what DATETIME keeps), or null. */
export function parseRfc3339(text: string): Date | null {
  const m = RFC_3339.exec(text)
  if (!m) return null
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number, number, number, number, number, number,
  ]
  const [offsetHours, offsetMinutes] = [Number(m[8] ?? 0), Number(m[9] ?? 0)]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null
  if (offsetHours > 23 || offsetMinutes > 59) return null
  const local = Date.UTC(year, month - 1, day, hour, minute, second)
  if (new Date(local).getUTCDate() !== day) return null // 2026-02-30
  const sign = m[7]?.startsWith('-') ? -1 : 1
  const instant = local - sign * (offsetHours * 60 + offsetMinutes) * 60_000
  // DATETIME holds years 1000–9999; outside that the database would refuse or mangle it.
  const utcYear = new Date(instant).getUTCFullYear()
  if (utcYear < 1000 || utcYear > 9999) return null
  return new Date(instant)
}

/** An RFC 3339 date-time with any offset, as the instant it names (a Date, whole seconds). */
export function instantSchema(messages: { type: string; invalid: string }) {
  return z.string({ error: messages.type }).transform((text, context) => {
    const instant = parseRfc3339(text.trim())
    if (instant) return instant
    context.addIssue({ code: 'custom', message: messages.invalid })
    return z.NEVER
  })
}

export const DueAtSchema = instantSchema({ type: 'validation.due.type', invalid: 'validation.due.invalid' })
export const RemindAtSchema = instantSchema({ type: 'validation.remind.type', invalid: 'validation.remind.invalid' })

/** A repeat rule of the accepted RRULE subset (lib/repeat.ts), normalised as it is stored. */
export const RepeatRuleSchema = z.string({ error: 'validation.repeat.type' }).transform((text, context) => {
  const rule = normaliseRepeatRule(text)
  if (rule) return rule
  context.addIssue({ code: 'custom', message: 'validation.repeat.invalid' })
  return z.NEVER
})

/** An IANA time-zone name, canonicalised (`asia/seoul` → `Asia/Seoul`). */
export const TimeZoneSchema = z.string({ error: 'validation.timeZone.type' }).transform((text, context) => {
  const zone = canonicalTimeZone(text.trim())
  if (zone) return zone
  context.addIssue({ code: 'custom', message: 'validation.timeZone.invalid' })
  return z.NEVER
})

// The page's forms turn what is typed (in the viewer's zone) into Dates before they get here.
const DateFieldSchema = z.date({ error: 'validation.due.invalid' })

export const NewTodoSchema = z.object({
  contents: TodoContentsSchema,
  isDone: z.boolean({ error: 'validation.isDone.type' }).default(false),
  dueAt: DateFieldSchema.nullable().optional(),
  remindAt: DateFieldSchema.nullable().optional(),
  repeat: RepeatRuleSchema.nullable().optional(),
})

export const TodoPatchSchema = z
  .object({
    contents: TodoContentsSchema.optional(),
    isDone: z.boolean({ error: 'validation.isDone.type' }).optional(),
    dueAt: DateFieldSchema.nullable().optional(),
    remindAt: DateFieldSchema.nullable().optional(),
    repeat: RepeatRuleSchema.nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    error: 'validation.todoPatch.empty',
  })

export const TODO_FILTERS = ['all', 'active', 'completed', 'today', 'upcoming'] as const
export type TodoFilter = (typeof TODO_FILTERS)[number]

/** Query-string filter: anything unknown falls back to "all" rather than erroring. */
export const TodoFilterSchema = z.enum(TODO_FILTERS).catch('all')

/** The views ordered by due time; in the page's URL they are `?view=today`, the others `?filter=active`. */
export const DUE_VIEWS = ['today', 'upcoming'] as const satisfies readonly TodoFilter[]

/** The list page's view from its query string: `view` (Today, Upcoming) wins over `filter`. */
export function todoFilterOf(params: { view?: string | string[]; filter?: string | string[] }): TodoFilter {
  const view = TodoFilterSchema.parse(params.view)
  return (DUE_VIEWS as readonly TodoFilter[]).includes(view) ? view : TodoFilterSchema.parse(params.filter)
}

/** 1-based page number from the query string; nonsense falls back to the first page. */
export const PageNumberSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1)

/**
 * The list a page shows, as its script names it (the list page's outbox, with each change): strict,
 * unlike the query string's schemas, since a page never sends anything else.
 */
export const TodoViewSchema = z.object({ filter: z.enum(TODO_FILTERS), page: z.number().int().min(1).max(1_000_000) }).strict()
export type TodoView = z.infer<typeof TodoViewSchema>

export type NewTodoInput = z.infer<typeof NewTodoSchema>
export type TodoPatch = z.infer<typeof TodoPatchSchema>
