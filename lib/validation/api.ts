import { z } from 'zod'
import { LogInSchema, NewPasswordSchema, ResetTokenSchema, UsernameSchema } from './auth'
import { EmailSchema } from './email'
import { LOCALES } from '../i18n/preferences'
import {
  DueAtSchema,
  instantSchema,
  RemindAtSchema,
  RepeatRuleSchema,
  TimeZoneSchema,
  TodoContentsSchema,
  TodoIdSchema,
} from './todo'

// The JSON API's shapes, in the original FastAPI service's snake_case. Field rules come from the
// same schemas the web forms use. Unknown fields are ignored, as FastAPI does.

const IsDoneSchema = z.boolean({ error: 'validation.isDone.type' })

export const ApiSignUpSchema = z.object({
  username: UsernameSchema,
  password: NewPasswordSchema,
  time_zone: TimeZoneSchema.optional(),
})
export const ApiLogInSchema = LogInSchema
export const ApiPasswordForgotSchema = z.object({ email: EmailSchema })
// No confirmation field: a client program types the password once.
export const ApiPasswordResetSchema = z.object({ token: ResetTokenSchema, password: NewPasswordSchema })

// `null` clears a date or the repeat; a field left out keeps its value (PATCH) or is null (POST).
const ApiDueAtSchema = DueAtSchema.nullable()
const ApiRemindAtSchema = RemindAtSchema.nullable()
const ApiRepeatSchema = RepeatRuleSchema.nullable()

/** A repeat given with an explicit null (or, creating, no) due date can never be stepped. */
function repeatNeedsDue(body: { due_at?: Date | null; repeat?: string | null }, creating: boolean, context: z.RefinementCtx) {
  if (body.repeat && (body.due_at === null || (creating && body.due_at === undefined))) {
    context.addIssue({ code: 'custom', path: ['repeat'], message: 'validation.repeat.needsDue' })
  }
}

/** Setting a reminder in the past is refused (one that has passed since is kept as it is). */
function remindNotPast(body: { remind_at?: Date | null }, context: z.RefinementCtx) {
  if (body.remind_at && body.remind_at.getTime() < Math.floor(Date.now() / 1000) * 1000) {
    context.addIssue({ code: 'custom', path: ['remind_at'], message: 'validation.remind.past' })
  }
}

export const ApiNewTodoSchema = z
  .object({
    contents: TodoContentsSchema,
    is_done: IsDoneSchema.default(false),
    due_at: ApiDueAtSchema.optional(),
    remind_at: ApiRemindAtSchema.optional(),
    repeat: ApiRepeatSchema.optional(),
  })
  .superRefine((body, context) => {
    remindNotPast(body, context)
    repeatNeedsDue(body, true, context)
  })

export const ApiTodoPatchSchema = z
  .object({
    contents: TodoContentsSchema.optional(),
    is_done: IsDoneSchema.optional(),
    due_at: ApiDueAtSchema.optional(),
    remind_at: ApiRemindAtSchema.optional(),
    repeat: ApiRepeatSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    error: 'validation.todoPatch.empty',
  })
  .superRefine((patch, context) => {
    remindNotPast(patch, context)
    repeatNeedsDue(patch, false, context)
  })

export const ApiUserPatchSchema = z.object({
  time_zone: TimeZoneSchema.optional(),
  locale: z.enum(LOCALES, { error: 'validation.locale.invalid' }).optional(),
})

export const ApiTodoListQuerySchema = z.object({
  order: z
    .string({ error: 'validation.order.invalid' })
    .transform((order) => order.toUpperCase())
    .pipe(z.enum(['ASC', 'DESC'], { error: 'validation.order.invalid' }))
    .default('ASC'),
  due_before: instantSchema({ type: 'validation.filters.dueBefore', invalid: 'validation.filters.dueBefore' }).optional(),
  due_after: instantSchema({ type: 'validation.filters.dueAfter', invalid: 'validation.filters.dueAfter' }).optional(),
})

export const ApiTodoPathSchema = z.object({ id: TodoIdSchema })

// Responses, for the OpenAPI document.
const ApiInstantSchema = z.iso.datetime({ offset: false })
export const ApiTodoSchema = z.object({
  id: z.int().positive(),
  contents: z.string(),
  is_done: z.boolean(),
  due_at: ApiInstantSchema.nullable(),
  remind_at: ApiInstantSchema.nullable(),
  repeat: z.string().nullable(),
})
export const ApiTodoListSchema = z.object({ todos: z.array(ApiTodoSchema) })
/** A todo in the trash: the todo, and when it was deleted. */
export const ApiTrashedTodoSchema = ApiTodoSchema.extend({ deleted_at: ApiInstantSchema })
export const ApiTrashListSchema = z.object({ todos: z.array(ApiTrashedTodoSchema) })
export const ApiUserSchema = z.object({ id: z.int().positive(), username: z.string() })
export const ApiMeSchema = z.object({
  id: z.int().positive(),
  username: z.string(),
  email: z.string().nullable(),
  time_zone: z.string(),
  locale: z.enum(LOCALES).nullable(),
})
export const ApiTokenSchema = z.object({ access_token: z.string(), token_type: z.literal('bearer') })
export const ApiEmailCodeSentSchema = z.object({ email: z.string(), expires_in: z.int().positive() })
export const ApiVerifiedUserSchema = z.object({ id: z.int().positive(), username: z.string(), email: z.string() })
export const ApiPasswordResetDoneSchema = z.object({ id: z.int().positive(), username: z.string() })
/** The one answer to a reset request, whatever the address: it never says whether an account has it. */
export const ApiPasswordResetRequestedSchema = z.object({ detail: z.string() })
export const ApiHealthSchema = z.object({ ping: z.literal('pong') })
export const ApiErrorSchema = z.object({ detail: z.string() })
export const ApiValidationErrorSchema = z.object({
  detail: z.array(
    z.object({ type: z.string(), loc: z.array(z.union([z.string(), z.int()])), msg: z.string() }),
  ),
})

// Export and import (GET /api/export, POST /api/import).
export const ApiExportQuerySchema = z.object({
  format: z
    .enum(['json', 'csv'], { error: 'format must be json or csv' })
    .default('json')
    .describe('`json`: the account, its todos and its trash; `csv`: one row per live todo (UTF-8 with a BOM, CRLF).'),
})
export const ApiExportedTodoSchema = ApiTodoSchema.extend({
  created_at: ApiInstantSchema,
  updated_at: ApiInstantSchema,
})
/** A trashed todo in an export: every field, with when it was deleted. */
export const ApiExportedTrashedTodoSchema = ApiExportedTodoSchema.extend({ deleted_at: ApiInstantSchema })
export const ApiExportSchema = z.object({
  version: z.literal(1),
  exported_at: ApiInstantSchema,
  user: ApiMeSchema.omit({ id: true }),
  todos: z.array(ApiExportedTodoSchema),
  trash: z.array(ApiExportedTrashedTodoSchema),
})
// What an import row may hold (checked row by row on the server, like a new todo): instants in
// RFC 3339 with any offset; `id` and `updated_at` are ignored.
const ImportInstant = z.string().nullable().optional()
export const ApiImportTodoSchema = z.object({
  contents: z.string(),
  is_done: z.boolean().optional(),
  due_at: ImportInstant,
  remind_at: ImportInstant,
  repeat: z.string().nullable().optional(),
  created_at: ImportInstant,
})
export const ApiImportSchema = z.object({
  version: z.literal(1).optional(),
  todos: z.array(ApiImportTodoSchema),
  trash: z.array(ApiImportTodoSchema.extend({ deleted_at: ImportInstant })).optional(),
})
export const ApiImportResultSchema = z.object({ imported: z.int().min(0), skipped: z.int().min(0) })

export type ApiTodo = z.infer<typeof ApiTodoSchema>
