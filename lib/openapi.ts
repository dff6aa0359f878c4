import { z } from 'zod'
import {
  ApiExportQuerySchema,
  ApiExportSchema,
  ApiImportResultSchema,
  ApiImportSchema,
  ApiEmailCodeSentSchema,
  ApiErrorSchema,
  ApiHealthSchema,
  ApiLogInSchema,
  ApiMeSchema,
  ApiNewTodoSchema,
  ApiPasswordForgotSchema,
  ApiPasswordResetDoneSchema,
  ApiPasswordResetRequestedSchema,
  ApiPasswordResetSchema,
  ApiSignUpSchema,
  ApiTodoListQuerySchema,
  ApiTodoListSchema,
  ApiTodoPatchSchema,
  ApiTodoPathSchema,
  ApiTodoSchema,
  ApiTokenSchema,
  ApiTrashedTodoSchema,
  ApiTrashListSchema,
  ApiUserPatchSchema,
  ApiUserSchema,
  ApiValidationErrorSchema,
  ApiVerifiedUserSchema,
} from './validation/api'
import { EmailCodeRequestSchema, EmailCodeVerifySchema, EmailSchema, OtpCodeSchema } from './validation/email'
import { NewPasswordSchema, ResetTokenSchema, UsernameSchema } from './validation/auth'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, TODO_MAX_LENGTH } from './validation/limits'
import { REPEAT_MAX_COUNT, REPEAT_MAX_INTERVAL } from './repeat'
import { DueAtSchema, RemindAtSchema, RepeatRuleSchema, TimeZoneSchema, TodoContentsSchema } from './validation/todo'

// The OpenAPI 3.1 document of the JSON API, generated from the Zod schemas the route handlers
// validate with, so that the contract cannot drift from the code. OpenAPI 3.1 schemas are JSON
// Schema draft 2020-12, which is what `z.toJSONSchema()` emits by default.

export type SchemaObject = z.core.JSONSchema.JSONSchema
export type Reference = { $ref: string }
export type MediaType = { schema: SchemaObject | Reference; example?: unknown }
export type Header = { description: string; schema: SchemaObject }
export type ResponseObject = {
  description: string
  headers?: Record<string, Header>
  content?: { 'application/json': MediaType } & Record<string, MediaType>
}
export type Parameter = {
  name: string
  in: 'path' | 'query' | 'header'
  required: boolean
  description?: string
  schema: SchemaObject
}
export type RequestBody = {
  required: boolean
  description?: string
  // JSON always; the import also takes CSV and multipart/form-data.
  content: { 'application/json': MediaType } & Record<string, MediaType>
}
export type SecurityRequirement = Record<string, string[]>
export type Operation = {
  operationId: string
  summary: string
  description?: string
  tags: string[]
  security: SecurityRequirement[]
  parameters?: Parameter[]
  requestBody?: RequestBody
  responses: Record<string, ResponseObject | Reference>
}
export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]
export type PathItem = Partial<Record<HttpMethod, Operation>>
export type SecurityScheme = { type: 'http'; scheme: 'bearer'; bearerFormat: string; description: string }
export type OpenApiDocument = {
  openapi: '3.1.0'
  info: { title: string; version: string; description: string }
  tags: { name: string; description: string }[]
  paths: Record<string, PathItem>
  components: {
    schemas: Record<string, SchemaObject>
    responses: Record<string, ResponseObject>
    securitySchemes: Record<string, SecurityScheme>
  }
}

/** Mirrors MAX_BODY_BYTES in server/api/http.ts, which this client-safe module cannot import. */
const MAX_BODY_BYTES = 16 * 1024

/** Request bodies, converted as the client sends them (`io: 'input'`: defaults make fields optional). */
export const REQUEST_SCHEMAS = {
  SignUp: ApiSignUpSchema,
  LogIn: ApiLogInSchema,
  NewTodo: ApiNewTodoSchema,
  TodoPatch: ApiTodoPatchSchema,
  UserPatch: ApiUserPatchSchema,
  EmailCodeRequest: EmailCodeRequestSchema,
  EmailCodeVerify: EmailCodeVerifySchema,
  PasswordForgot: ApiPasswordForgotSchema,
  PasswordReset: ApiPasswordResetSchema,
  Import: ApiImportSchema,
} satisfies Record<string, z.ZodType>

/** Response bodies, converted as the server produces them. */
export const RESPONSE_SCHEMAS = {
  User: ApiUserSchema,
  Me: ApiMeSchema,
  Token: ApiTokenSchema,
  Todo: ApiTodoSchema,
  TodoList: ApiTodoListSchema,
  TrashedTodo: ApiTrashedTodoSchema,
  TrashList: ApiTrashListSchema,
  Health: ApiHealthSchema,
  EmailCodeSent: ApiEmailCodeSentSchema,
  VerifiedUser: ApiVerifiedUserSchema,
  PasswordResetRequested: ApiPasswordResetRequestedSchema,
  PasswordResetDone: ApiPasswordResetDoneSchema,
  Export: ApiExportSchema,
  ImportResult: ApiImportResultSchema,
  HTTPError: ApiErrorSchema,
  HTTPValidationError: ApiValidationErrorSchema,
} satisfies Record<string, z.ZodType>

const isDoneSchema = ApiNewTodoSchema.shape.is_done.unwrap()
const listQuery = ApiTodoListQuerySchema.shape

const INSTANT_NOTE =
  'An RFC 3339 date and time with an offset (`2026-12-24T09:00:00Z`, `2026-12-24T18:00:00+09:00`), kept to the second.'
const REPEAT_NOTE =
  'An RFC 5545 RRULE: `FREQ=DAILY`, `WEEKLY`, `MONTHLY` or `YEARLY`, with optional `INTERVAL` ' +
  `(up to ${REPEAT_MAX_INTERVAL}), \`BYDAY\` (\`MO\`…\`SU\`; \`2TU\` or \`-1FR\` for monthly and yearly rules), ` +
  `\`BYMONTHDAY\` (1 to 31, or -1 for the last day), \`COUNT\` (up to ${REPEAT_MAX_COUNT}) or \`UNTIL\` ` +
  '(`20271231` or `20271231T090000Z`), not both. Stepped from `due_at` in your time zone, so a daily 09:00 stays ' +
  '09:00 across daylight-saving changes. Completing the todo moves `due_at` (and `remind_at` by as much) to the next ' +
  'occurrence after both the old due time and now, and leaves it open; with no next occurrence it is done. ' +
  '`COUNT` counts the occurrences left, the current one included: each completion lowers it.'
const instantPatch = (what: string): SchemaObject => ({ type: 'string', format: 'date-time', description: `${what} ${INSTANT_NOTE}` })
const validationIssueSchema = ApiValidationErrorSchema.shape.detail.element

// What the JSON Schema cannot learn from Zod: checks written as `.refine`/`.superRefine` (the
// 256-character limit, password lengths, "contents or is_done"), transforms (trimming, the
// case-insensitive `order`), and the words. Keyed by schema identity, so a patch follows the
// schema wherever it is used. JSON Schema counts string length in code points, as charLength does.
const PATCHES = new Map<z.core.$ZodType, SchemaObject>([
  [UsernameSchema, { description: 'Letters, digits, `_`, `.` or `-`. Spaces around it are trimmed.' }],
  [
    NewPasswordSchema,
    {
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description:
        `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, kept exactly as typed (never trimmed). ` +
        'Very common passwords are refused.',
    },
  ],
  [ApiLogInSchema.shape.username, { description: 'Your username. Spaces around it are trimmed.' }],
  [ApiLogInSchema.shape.password, { description: 'Your password, exactly as you chose it.' }],
  [
    TodoContentsSchema,
    {
      minLength: 1,
      maxLength: TODO_MAX_LENGTH,
      description:
        `What needs to be done. Spaces around it are trimmed; what is left must be 1 to ${TODO_MAX_LENGTH} ` +
        'characters, counted as Unicode code points (an emoji or a Korean syllable is one).',
    },
  ],
  [isDoneSchema, { description: 'Whether it is done.' }],
  [DueAtSchema, instantPatch('When it is due; `null` clears it.')],
  [
    RemindAtSchema,
    instantPatch('When to email you a reminder (needs a verified email); `null` clears it. Must not be in the past.'),
  ],
  [RepeatRuleSchema, { type: 'string', maxLength: 255, description: `How it repeats; \`null\` stops it. Needs \`due_at\`. ${REPEAT_NOTE}` }],
  [
    TimeZoneSchema,
    {
      type: 'string',
      maxLength: 64,
      description: 'An IANA time zone, e.g. `Asia/Seoul`, `Europe/Berlin` or `UTC` (the default).',
    },
  ],
  [
    listQuery.due_before,
    {
      type: 'string',
      format: 'date-time',
      description: `Only todos due before this instant (exclusive); todos without a due date are left out. ${INSTANT_NOTE}`,
    },
  ],
  [
    listQuery.due_after,
    {
      type: 'string',
      format: 'date-time',
      description: `Only todos due at or after this instant; todos without a due date are left out. ${INSTANT_NOTE}`,
    },
  ],
  [ApiTodoSchema.shape.due_at, { description: 'When it is due, in UTC (`2026-12-24T09:00:00Z`), or null.' }],
  [ApiTodoSchema.shape.remind_at, { description: 'When the reminder email goes out, in UTC, or null.' }],
  [ApiTodoSchema.shape.repeat, { description: 'The repeat rule (an RRULE, normalised to upper case), or null.' }],
  [ApiMeSchema.shape.email, { description: 'Your verified email address, or null.' }],
  [ApiMeSchema.shape.time_zone, { description: 'Your IANA time zone: Today, Upcoming and repeats follow it.' }],
  [ApiMeSchema.shape.locale, { description: 'The language of your emails and pages (`en` or `ko`); null until chosen.' }],
  [ApiUserPatchSchema.shape.locale, { description: 'The language of your emails and pages: `en` or `ko`.' }],
  [
    EmailSchema,
    {
      format: 'email',
      maxLength: 254,
      description: 'An email address. Spaces around it are trimmed and it is compared in lower case.',
    },
  ],
  [
    OtpCodeSchema,
    {
      pattern: '^[0-9][0-9 -]*$',
      description: 'The 6-digit code from the email; spaces or dashes between the digits are ignored.',
    },
  ],
  [
    ResetTokenSchema,
    {
      minLength: 1,
      maxLength: 512,
      description: 'The `token` parameter of the link in the reset email, as it is.',
    },
  ],
  [
    ApiPasswordResetRequestedSchema.shape.detail,
    { description: 'Always the same sentence, whether or not an account has the address.' },
  ],
  [ApiPasswordResetDoneSchema.shape.id, { description: 'The account’s id.' }],
  [ApiPasswordResetDoneSchema.shape.username, { description: 'The account’s username: log in with it and the new password.' }],
  [
    ApiTodoPatchSchema,
    {
      description: 'Give at least one field; a field left out keeps its value, `null` clears a date or the repeat.',
      anyOf: ['contents', 'is_done', 'due_at', 'remind_at', 'repeat'].map((field) => ({ required: [field] })),
    },
  ],
  [
    ApiTodoListQuerySchema.shape.order,
    {
      type: 'string',
      enum: ['ASC', 'DESC'],
      default: 'ASC',
      description: 'By id: `ASC` oldest first, `DESC` newest first. Case-insensitive.',
    },
  ],
  [ApiTodoPathSchema.shape.id, { description: 'The id of one of your todos.' }],
  [ApiTodoSchema.shape.id, { description: 'The todo’s id.' }],
  [
    ApiTodoSchema.shape.contents,
    { description: `What needs to be done, trimmed, at most ${TODO_MAX_LENGTH} characters.` },
  ],
  [ApiTodoSchema.shape.is_done, { description: 'Whether it is done.' }],
  [ApiTodoListSchema.shape.todos, { description: 'Your todos, ordered by id.' }],
  [ApiUserSchema.shape.id, { description: 'The new account’s id.' }],
  [ApiUserSchema.shape.username, { description: 'The username, as stored (trimmed).' }],
  [
    ApiTokenSchema.shape.access_token,
    { description: 'A JWT valid for one day. Send it as `Authorization: Bearer <token>`.' },
  ],
  [ApiTokenSchema.shape.token_type, { description: 'Always `bearer`.' }],
  [ApiHealthSchema.shape.ping, { description: 'Always `pong`.' }],
  [ApiErrorSchema.shape.detail, { description: 'What went wrong.' }],
  [ApiValidationErrorSchema.shape.detail, { description: 'One entry per problem found.' }],
  [
    validationIssueSchema.shape.type,
    { description: 'The kind of problem, e.g. `missing`, `invalid_type`, `too_big`, `custom`, `json_invalid`.' },
  ],
  [
    validationIssueSchema.shape.loc,
    { description: 'Where: `body`, `query` or `path`, then the field name (FastAPI’s convention).' },
  ],
  [validationIssueSchema.shape.msg, { description: 'A sentence a person can read.' }],
])

function override({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: SchemaObject }) {
  const patch = PATCHES.get(zodSchema)
  if (patch) Object.assign(jsonSchema, patch)
}

const componentRef = (name: string) => `#/components/schemas/${name}`
const ref = (name: keyof typeof REQUEST_SCHEMAS | keyof typeof RESPONSE_SCHEMAS): Reference => ({
  $ref: componentRef(name),
})

/** Converts a set of named schemas into components; shared ones become `$ref`s (a TodoList's items are Todos). */
function components(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, SchemaObject> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id })
  const converted = z.toJSONSchema(registry, { io, uri: componentRef, override }).schemas
  return Object.fromEntries(
    Object.entries(converted).map(([id, schema]) => [id, io === 'input' ? defaultsInWords(withoutDialect(schema)) : withoutDialect(schema)]),
  )
}

/**
 * A request field with a `default` is optional, but generators read `default` as "always present"
 * (openapi-typescript's defaultNonNullable, on by default, made `is_done` required on create):
 * request bodies say the default in words instead, so generated clients may leave the field out.
 */
function defaultsInWords(schema: SchemaObject): SchemaObject {
  const properties = schema.properties as Record<string, SchemaObject> | undefined
  if (!properties) return schema
  const rewritten = Object.entries(properties).map(([name, property]) => {
    if (typeof property !== 'object' || !('default' in property)) return [name, property]
    const { default: fallback, ...rest } = property
    const said = `Optional; \`${JSON.stringify(fallback)}\` when left out.`
    return [name, { ...rest, description: rest.description ? `${rest.description} ${said}` : said }]
  })
  return { ...schema, properties: Object.fromEntries(rewritten) }
}

// Components live inside the document: each one's `$schema` and `$id` would only repeat it.
function withoutDialect(schema: SchemaObject): SchemaObject {
  const { $schema: _dialect, $id: _id, ...rest } = schema
  return rest
}

/** The fields of a query or path schema, as OpenAPI parameters. */
function parameters(schema: z.ZodObject, location: Parameter['in']): Parameter[] {
  const json = z.toJSONSchema(schema, { io: 'input', override })
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as SchemaObject
    return {
      name,
      in: location,
      required: location === 'path' || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    }
  })
}

const json = (schema: Reference, example?: unknown) => ({
  'application/json': example === undefined ? { schema } : { schema, example },
})

const errorResponse = (description: string, detail?: string, headers?: Record<string, Header>): ResponseObject => ({
  description,
  ...(headers ? { headers } : {}),
  content: json(ref('HTTPError'), detail === undefined ? undefined : { detail }),
})

const RETRY_AFTER: Header = { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } }
const WWW_AUTHENTICATE: Header = { description: 'Always `Bearer`.', schema: { type: 'string', const: 'Bearer' } }

const RESPONSES = {
  Unauthorized: errorResponse(
    'No valid bearer token: missing, malformed, expired, or its account is gone.',
    'Not Authorized',
    { 'WWW-Authenticate': WWW_AUTHENTICATE },
  ),
  TodoNotFound: errorResponse('No such todo among yours (another user’s todo answers the same).', 'ToDo Not Found'),
  PayloadTooLarge: errorResponse(
    `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`,
    `Request body is larger than ${MAX_BODY_BYTES} bytes`,
  ),
  UnsupportedMediaType: errorResponse(
    'The body is not sent as `Content-Type: application/json`.',
    'Content-Type must be application/json',
  ),
  ValidationError: {
    description: 'Invalid input: the body, query or path did not pass validation, or the body is not JSON.',
    content: json(ref('HTTPValidationError'), {
      detail: [{ type: 'missing', loc: ['body', 'contents'], msg: 'Field required' }],
    }),
  },
  TooManyRequests: errorResponse('Too many attempts: wait for the time in `Retry-After`, then try again.', undefined, {
    'Retry-After': RETRY_AFTER,
  }),
  ServiceUnavailable: errorResponse(
    'The database cannot be reached; try again shortly.',
    'Service temporarily unavailable',
    { 'Retry-After': RETRY_AFTER },
  ),
} satisfies Record<string, ResponseObject>

const shared = (name: keyof typeof RESPONSES): Reference => ({ $ref: `#/components/responses/${name}` })

const BEARER: SecurityRequirement[] = [{ bearerAuth: [] }]

/** The header that makes a write safe to send again (server/idempotency.ts). */
export const IDEMPOTENCY_KEY_PARAMETER: Parameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A UUID you make for this one change (e.g. `crypto.randomUUID()`). Sent again with the same request within ' +
    '24 hours, the change is not applied twice: the first answer comes back (same status, same body, the same ' +
    'new todo) with `Idempotent-Replayed: true`. The same key with a different request is refused with 422 ' +
    'and changes nothing; a key that is not a UUID is a 422 too. A request refused for its input, a rule or a ' +
    'limit applied nothing and keeps no record: it may be sent again with the same key.',
  schema: { type: 'string', format: 'uuid' },
}
const PUBLIC: SecurityRequirement[] = []

const jsonBody = (name: keyof typeof REQUEST_SCHEMAS, example: unknown): RequestBody => ({
  required: true,
  content: json(ref(name), example),
})

const EXAMPLE_TODO = { id: 1, contents: 'Buy milk', is_done: false, due_at: null, remind_at: null, repeat: null }
const EXAMPLE_REPEATING = {
  id: 2,
  contents: 'Call the bank',
  is_done: false,
  due_at: '2026-12-28T00:00:00Z',
  remind_at: '2026-12-27T23:50:00Z',
  repeat: 'FREQ=WEEKLY;BYDAY=MO',
}
const EXAMPLE_ME = { id: 1, username: 'alice', email: 'alice@example.com', time_zone: 'Asia/Seoul', locale: 'ko' }

const EXPORT_CSV_HEADER = 'id,contents,is_done,due_at,remind_at,repeat,created_at,updated_at'
const CONTENT_DISPOSITION: Header = {
  description: 'Always an attachment named after the day, e.g. `attachment; filename="todos-2026-12-02.json"`.',
  schema: { type: 'string' },
}
const EXAMPLE_EXPORT = {
  version: 1,
  exported_at: '2026-12-02T01:00:00Z',
  user: { username: 'alice', email: 'alice@example.com', time_zone: 'Asia/Seoul', locale: 'ko' },
  todos: [{ ...EXAMPLE_REPEATING, created_at: '2026-11-30T08:00:00Z', updated_at: '2026-12-01T09:00:00Z' }],
  trash: [
    { ...EXAMPLE_TODO, created_at: '2026-11-01T08:00:00Z', updated_at: '2026-11-02T08:00:00Z', deleted_at: '2026-11-02T08:00:00Z' },
  ],
}
const EXAMPLE_CSV = `\uFEFF${EXPORT_CSV_HEADER}\r\n1,Buy milk,false,,,,2026-11-30T08:00:00Z,2026-11-30T08:00:00Z\r\n`

function buildDocument(): OpenApiDocument {
  const todoId = parameters(ApiTodoPathSchema, 'path')
  return {
    openapi: '3.1.0',
    info: {
      title: 'Todos API',
      version: '1.0.0',
      description:
        'The JSON API of the original FastAPI todo service, served under `/api`. Log in for a bearer token ' +
        '(valid for one day) and send it as `Authorization: Bearer <token>`. Errors are `{"detail": "…"}`; ' +
        'invalid input is `{"detail": [{"type", "loc", "msg"}]}` with status 422.',
    },
    tags: [
      { name: 'users', description: 'Accounts and tokens.' },
      { name: 'todos', description: 'Your own todos; other users’ todos are invisible.' },
      { name: 'data', description: 'Export and import all of your todos.' },
      {
        name: 'trash',
        description:
          'Deleted todos wait in your trash, invisible elsewhere, until you restore them, delete them for good, ' +
          'or they are purged (30 days after deletion by default).',
      },
      { name: 'health', description: 'Is the server up?' },
    ],
    paths: {
      '/api/users/sign-up': {
        post: {
          operationId: 'signUp',
          summary: 'Create an account',
          tags: ['users'],
          security: PUBLIC,
          requestBody: jsonBody('SignUp', { username: 'alice', password: 'violet kettle drums' }),
          responses: {
            '201': {
              description: 'The account was created.',
              content: json(ref('User'), { id: 1, username: 'alice' }),
            },
            '409': errorResponse('The username is taken.', 'Username already taken'),
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/users/me': {
        get: {
          operationId: 'getMe',
          summary: 'Your account',
          tags: ['users'],
          security: BEARER,
          responses: {
            '200': { description: 'Your account.', content: json(ref('Me'), EXAMPLE_ME) },
            '401': shared('Unauthorized'),
            '503': shared('ServiceUnavailable'),
          },
        },
        patch: {
          operationId: 'updateMe',
          summary: 'Change your time zone or language',
          description: 'A field left out keeps its value.',
          tags: ['users'],
          security: BEARER,
          requestBody: jsonBody('UserPatch', { time_zone: 'Asia/Seoul' }),
          responses: {
            '200': { description: 'Your account as changed.', content: json(ref('Me'), EXAMPLE_ME) },
            '401': shared('Unauthorized'),
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/users/log-in': {
        post: {
          operationId: 'logIn',
          summary: 'Log in for a bearer token',
          description: 'The token is valid for one day; log in again for a new one.',
          tags: ['users'],
          security: PUBLIC,
          requestBody: jsonBody('LogIn', { username: 'alice', password: 'violet kettle drums' }),
          responses: {
            '200': {
              description: 'A token for the account.',
              content: json(ref('Token'), {
                access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.…',
                token_type: 'bearer',
              }),
            },
            '401': errorResponse('Unknown username or wrong password (the same answer for both).', 'Not Authorized', {
              'WWW-Authenticate': WWW_AUTHENTICATE,
            }),
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '429': shared('TooManyRequests'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/users/email/otp': {
        post: {
          operationId: 'requestEmailCode',
          summary: 'Email a verification code',
          description:
            'Sends a 6-digit code to the address (in the background: the response does not wait for the mail). ' +
            'The code is valid for 3 minutes, only for this account and this address, once; five wrong tries ' +
            'void it, and a new request replaces it. One request per 30 seconds and five per hour.',
          tags: ['users'],
          security: BEARER,
          requestBody: jsonBody('EmailCodeRequest', { email: 'alice@example.com' }),
          responses: {
            '202': {
              description: 'The code is on its way. It is never part of the response.',
              content: json(ref('EmailCodeSent'), { email: 'alice@example.com', expires_in: 180 }),
            },
            '401': shared('Unauthorized'),
            '409': errorResponse('The address is already verified on this account.', 'That email is already verified on your account'),
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '429': shared('TooManyRequests'),
            '503': errorResponse(
              'Redis cannot be reached: codes cannot be issued; try again shortly.',
              'Email verification is temporarily unavailable',
              { 'Retry-After': RETRY_AFTER },
            ),
          },
        },
      },
      '/api/users/email/otp/verify': {
        post: {
          operationId: 'verifyEmailCode',
          summary: 'Verify the emailed code',
          description: 'On success the address is saved on the account as verified, and a confirmation is emailed.',
          tags: ['users'],
          security: BEARER,
          requestBody: jsonBody('EmailCodeVerify', { email: 'alice@example.com', otp: '123456' }),
          responses: {
            '200': {
              description: 'The address is verified.',
              content: json(ref('VerifiedUser'), { id: 1, username: 'alice', email: 'alice@example.com' }),
            },
            '400': errorResponse('The code is wrong, expired or already used.', 'Invalid, expired or used code'),
            '401': shared('Unauthorized'),
            '409': errorResponse(
              'Another account has verified this address (which one is not said).',
              'This email address cannot be used',
            ),
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '503': errorResponse(
              'Redis cannot be reached: codes cannot be checked; try again shortly.',
              'Email verification is temporarily unavailable',
              { 'Retry-After': RETRY_AFTER },
            ),
          },
        },
      },
      '/api/users/password/forgot': {
        post: {
          operationId: 'requestPasswordReset',
          summary: 'Email a password-reset link',
          description:
            'If an account has this address verified, a link to choose a new password is emailed to it (in the ' +
            'background). The answer is the same 202 whether or not an account has the address, and whether or ' +
            'not a limit was reached: three requests an hour per address and per account, twenty per client ' +
            'address, by default. The link works once, for 30 minutes by default; a newer request replaces it.',
          tags: ['users'],
          security: PUBLIC,
          requestBody: jsonBody('PasswordForgot', { email: 'alice@example.com' }),
          responses: {
            '202': {
              description: 'Taken. Whether an email goes out is not said.',
              content: json(ref('PasswordResetRequested'), {
                detail: 'If an account has this verified email address, a link to reset its password is on its way.',
              }),
            },
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '503': errorResponse(
              'Redis cannot be reached: no request can be taken; try again shortly.',
              'Password reset is temporarily unavailable',
              { 'Retry-After': RETRY_AFTER },
            ),
          },
        },
      },
      '/api/users/password/reset': {
        post: {
          operationId: 'resetPassword',
          summary: 'Set a new password with a reset link',
          description:
            'Takes the `token` from the emailed link and a new password (the sign-up rules apply). The token is ' +
            'used up; every session and API token of the account ends, and a notice is emailed. Log in again ' +
            'for a token.',
          tags: ['users'],
          security: PUBLIC,
          requestBody: jsonBody('PasswordReset', {
            token: 'k3Jd0sQm5cVx2yBnLp8tRw1eZa7uHf4gOi6jMvNqXbY',
            password: 'a new violet kettle',
          }),
          responses: {
            '200': {
              description: 'The password is changed.',
              content: json(ref('PasswordResetDone'), { id: 1, username: 'alice' }),
            },
            '400': errorResponse(
              'The token is unknown, expired, already used, or replaced by a newer request.',
              'Invalid, expired or used reset token',
            ),
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/todos': {
        get: {
          operationId: 'listTodos',
          summary: 'List your todos',
          tags: ['todos'],
          security: BEARER,
          parameters: parameters(ApiTodoListQuerySchema, 'query'),
          responses: {
            '200': { description: 'All your todos.', content: json(ref('TodoList'), { todos: [EXAMPLE_TODO] }) },
            '401': shared('Unauthorized'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
        post: {
          operationId: 'createTodo',
          summary: 'Add a todo',
          tags: ['todos'],
          security: BEARER,
          description:
            'Only `contents` is needed. Created with `is_done: true`, a repeating todo starts at its next occurrence instead.',
          requestBody: jsonBody('NewTodo', {
            contents: 'Call the bank',
            due_at: '2026-12-28T09:00:00+09:00',
            remind_at: '2026-12-28T08:50:00+09:00',
            repeat: 'FREQ=WEEKLY;BYDAY=MO',
          }),
          parameters: [IDEMPOTENCY_KEY_PARAMETER],
          responses: {
            '201': { description: 'The new todo.', content: json(ref('Todo'), EXAMPLE_REPEATING) },
            '401': shared('Unauthorized'),
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/todos/{id}': {
        get: {
          operationId: 'getTodo',
          summary: 'Get one todo',
          tags: ['todos'],
          security: BEARER,
          parameters: todoId,
          responses: {
            '200': { description: 'The todo.', content: json(ref('Todo'), EXAMPLE_TODO) },
            '401': shared('Unauthorized'),
            '404': shared('TodoNotFound'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
        patch: {
          operationId: 'updateTodo',
          summary: 'Change a todo',
          description:
            'Change its text, mark it done or not done, set or clear its due date, reminder or repeat. Marking a ' +
            'repeating todo done moves it to its next occurrence and answers `is_done: false`.',
          tags: ['todos'],
          security: BEARER,
          parameters: [...todoId, IDEMPOTENCY_KEY_PARAMETER],
          requestBody: jsonBody('TodoPatch', { is_done: true }),
          responses: {
            '200': {
              description: 'The todo as changed.',
              content: json(ref('Todo'), { ...EXAMPLE_TODO, is_done: true }),
            },
            '401': shared('Unauthorized'),
            '404': shared('TodoNotFound'),
            '413': shared('PayloadTooLarge'),
            '415': shared('UnsupportedMediaType'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
        delete: {
          operationId: 'deleteTodo',
          summary: 'Delete a todo',
          description: 'Moves it to your trash: `GET /api/todos/{id}` answers 404, `POST /api/trash/{id}/restore` brings it back.',
          tags: ['todos'],
          security: BEARER,
          parameters: [...todoId, IDEMPOTENCY_KEY_PARAMETER],
          responses: {
            '204': { description: 'Moved to the trash; there is no body.' },
            '401': shared('Unauthorized'),
            '404': shared('TodoNotFound'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/trash': {
        get: {
          operationId: 'listTrash',
          summary: 'List your trash',
          description: 'Your deleted todos, most recently deleted first.',
          tags: ['trash'],
          security: BEARER,
          responses: {
            '200': {
              description: 'Your trash.',
              content: json(ref('TrashList'), { todos: [{ ...EXAMPLE_TODO, deleted_at: '2026-12-02T09:30:00Z' }] }),
            },
            '401': shared('Unauthorized'),
            '503': shared('ServiceUnavailable'),
          },
        },
        delete: {
          operationId: 'emptyTrash',
          summary: 'Empty your trash',
          description: 'Deletes every todo in your trash for good.',
          tags: ['trash'],
          security: BEARER,
          parameters: [IDEMPOTENCY_KEY_PARAMETER],
          responses: {
            '204': { description: 'The trash is empty; there is no body.' },
            '401': shared('Unauthorized'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/trash/{id}': {
        delete: {
          operationId: 'purgeTrashedTodo',
          summary: 'Delete a todo in your trash for good',
          tags: ['trash'],
          security: BEARER,
          parameters: [...todoId, IDEMPOTENCY_KEY_PARAMETER],
          responses: {
            '204': { description: 'Deleted for good; there is no body.' },
            '401': shared('Unauthorized'),
            '404': shared('TodoNotFound'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/trash/{id}/restore': {
        post: {
          operationId: 'restoreTodo',
          summary: 'Restore a todo from your trash',
          description: 'It comes back with the same id, so in the same place in the list; a reminder still ahead is scheduled again.',
          tags: ['trash'],
          security: BEARER,
          parameters: [...todoId, IDEMPOTENCY_KEY_PARAMETER],
          responses: {
            '200': { description: 'The restored todo.', content: json(ref('Todo'), EXAMPLE_TODO) },
            '401': shared('Unauthorized'),
            '404': shared('TodoNotFound'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/export': {
        get: {
          operationId: 'exportTodos',
          summary: 'Download all your data',
          description:
            'An attachment (`Content-Disposition: attachment; filename="todos-<YYYY-MM-DD>.json"`, or `.csv`), ' +
            'streamed: every todo with every field, instants in UTC. JSON carries the account, the todos and the ' +
            'trash; CSV one row per live todo, with the header `' + EXPORT_CSV_HEADER + '`. The session cookie works too.',
          tags: ['data'],
          security: BEARER,
          parameters: parameters(ApiExportQuerySchema, 'query'),
          responses: {
            '200': {
              description: 'Your data, as a download.',
              headers: { 'Content-Disposition': CONTENT_DISPOSITION },
              content: {
                ...json(ref('Export'), EXAMPLE_EXPORT),
                'text/csv': { schema: { type: 'string' }, example: EXAMPLE_CSV },
              },
            },
            '401': shared('Unauthorized'),
            '422': shared('ValidationError'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/import': {
        post: {
          operationId: 'importTodos',
          summary: 'Import todos from an export or a CSV',
          description:
            'Our JSON export, a CSV (`text/csv`: a header row with at least `contents`; optional `is_done`, `due_at`, ' +
            '`remind_at`, `repeat`, `created_at`; others ignored; names in any case), or either as the `file` field ' +
            'of `multipart/form-data`. At most 5,000 todos and 2 MiB. Each row is checked like a new todo; a ' +
            'reminder already past is dropped (the row is kept). All or nothing: one bad row and nothing is saved, ' +
            'the first 20 bad rows named (`loc`: `["todos" | "trash", row, field]`, row 1 the first data row). A row ' +
            'with the `contents` and `created_at` of a todo you already have is skipped, so importing one export ' +
            'twice adds nothing. Counts as one write; the account limit counts the trash.',
          tags: ['data'],
          security: BEARER,
          requestBody: {
            required: true,
            content: {
              ...json(ref('Import'), { version: 1, todos: [{ contents: 'Buy milk', is_done: false, created_at: '2026-11-30T08:00:00Z' }] }),
              'text/csv': { schema: { type: 'string' }, example: 'contents,is_done,due_at\r\nBuy milk,false,2026-12-24T09:00:00Z\r\n' },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: { file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'A JSON export or a CSV file.' } },
                },
              },
            },
          },
          responses: {
            '201': { description: 'Imported.', content: json(ref('ImportResult'), { imported: 2, skipped: 0 }) },
            '401': shared('Unauthorized'),
            '403': errorResponse('The account would hold more todos than allowed (the trash included); nothing was saved.'),
            '413': errorResponse('The body or the file is larger than 2 MiB.', 'Request body is larger than 2097152 bytes'),
            '415': errorResponse(
              'The body is not JSON, CSV or multipart/form-data.',
              'Content-Type must be application/json, text/csv or multipart/form-data',
            ),
            '422': {
              description: 'A bad row (or more, the first 20 named), a malformed file, or more than 5,000 todos; nothing was saved.',
              content: json(ref('HTTPValidationError'), {
                detail: [{ type: 'value_error', loc: ['todos', 2, 'repeat'], msg: 'A repeating todo needs a due date' }],
              }),
            },
            '429': shared('TooManyRequests'),
            '503': shared('ServiceUnavailable'),
          },
        },
      },
      '/api/health': {
        get: {
          operationId: 'health',
          summary: 'Check that the server is up',
          description: 'Answers without touching the database.',
          tags: ['health'],
          security: PUBLIC,
          responses: { '200': { description: 'The server is up.', content: json(ref('Health'), { ping: 'pong' }) } },
        },
      },
    },
    components: {
      schemas: { ...components(REQUEST_SCHEMAS, 'input'), ...components(RESPONSE_SCHEMAS, 'output') },
      responses: RESPONSES,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The `access_token` from `POST /api/users/log-in`, valid for one day.',
        },
      },
    },
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

let cached: OpenApiDocument | undefined

/** The document, built on first use and then shared: frozen, so no caller can change it for the others. */
export function openApiDocument(): OpenApiDocument {
  cached ??= deepFreeze(buildDocument())
  return cached
}

/** Follows a local `$ref` (`#/components/...`) in the document; anything else is returned as is. */
export function resolveRef<T>(document: OpenApiDocument, value: T | Reference): T {
  if (typeof value !== 'object' || value === null || !('$ref' in value) || typeof value.$ref !== 'string') {
    return value as T
  }
  let target: unknown = document
  for (const key of value.$ref.replace(/^#\//, '').split('/')) {
    target = (target as Record<string, unknown> | undefined)?.[key]
  }
  if (target === undefined) throw new Error(`Unresolved $ref ${value.$ref}`)
  return target as T
}
