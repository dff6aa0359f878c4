import { z } from 'zod'
import { LogInSchema, NewPasswordSchema, UsernameSchema } from './auth'
import { TodoContentsSchema, TodoIdSchema } from './todo'

// The JSON API's shapes, in the original FastAPI service's snake_case. Field rules come from the
// same schemas the web forms use. Unknown fields are ignored, as FastAPI does.

const IsDoneSchema = z.boolean({ error: 'validation.isDone.type' })

export const ApiSignUpSchema = z.object({ username: UsernameSchema, password: NewPasswordSchema })
export const ApiLogInSchema = LogInSchema

export const ApiNewTodoSchema = z.object({
  contents: TodoContentsSchema,
  is_done: IsDoneSchema.default(false),
})

export const ApiTodoPatchSchema = z
  .object({ contents: TodoContentsSchema.optional(), is_done: IsDoneSchema.optional() })
  .refine((patch) => patch.contents !== undefined || patch.is_done !== undefined, {
    error: 'validation.todoPatch.empty',
  })

export const ApiTodoListQuerySchema = z.object({
  order: z
    .string({ error: 'validation.order.invalid' })
    .transform((order) => order.toUpperCase())
    .pipe(z.enum(['ASC', 'DESC'], { error: 'validation.order.invalid' }))
    .default('ASC'),
})

export const ApiTodoPathSchema = z.object({ id: TodoIdSchema })

// Responses, for the OpenAPI document.
export const ApiTodoSchema = z.object({ id: z.int().positive(), contents: z.string(), is_done: z.boolean() })
export const ApiTodoListSchema = z.object({ todos: z.array(ApiTodoSchema) })
export const ApiUserSchema = z.object({ id: z.int().positive(), username: z.string() })
export const ApiTokenSchema = z.object({ access_token: z.string(), token_type: z.literal('bearer') })
export const ApiEmailCodeSentSchema = z.object({ email: z.string(), expires_in: z.int().positive() })
export const ApiVerifiedUserSchema = z.object({ id: z.int().positive(), username: z.string(), email: z.string() })
export const ApiHealthSchema = z.object({ ping: z.literal('pong') })
export const ApiErrorSchema = z.object({ detail: z.string() })
export const ApiValidationErrorSchema = z.object({
  detail: z.array(
    z.object({ type: z.string(), loc: z.array(z.union([z.string(), z.int()])), msg: z.string() }),
  ),
})

export type ApiTodo = z.infer<typeof ApiTodoSchema>
