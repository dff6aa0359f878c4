import 'server-only'
import type { NextRequest } from 'next/server'
import type { z } from 'zod'
import { IdempotencyKeySchema, type IdempotencyKey } from '@/lib/validation/idempotency'
import { translateMessage } from '@/lib/validation/messages'
import { englishTranslator } from '../i18n/messages'
import { getViewer } from '../auth/session'
import { isDatabaseUnavailable } from '../db-errors'
import { logFor } from '../log'
import { IdempotencyConflictError } from '../idempotency'
import { TodoLimitError, WriteRateError } from '../limits'
import type { TodoRuleError } from '../todos'
import type { SignedInViewer } from '../users'

/** Largest JSON body the API reads; the biggest valid one (a 256-character todo) is far smaller. */
export const MAX_BODY_BYTES = 16 * 1024

type Location = 'body' | 'query' | 'path' | 'header'
export type ValidationIssue = { type: string; loc: (string | number)[]; msg: string }

/** An expected failure, answered as `{"detail": …}` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(typeof detail === 'string' ? detail : 'Validation failed')
  }
}

const notAuthorized = () => new HttpError(401, 'Not Authorized', { 'WWW-Authenticate': 'Bearer' })

/**
 * Wraps a route handler: expected failures become their status, an unreachable database a 503,
 * anything else a logged 500 that says nothing about its cause.
 */
export function apiRoute<Context>(
  handler: (request: NextRequest, context: Context) => Promise<Response>,
): (request: NextRequest, context: Context) => Promise<Response> {
  return async (request, context) => {
    try {
      return await handler(request, context)
    } catch (error) {
      if (error instanceof HttpError) {
        return Response.json({ detail: error.detail }, { status: error.status, headers: error.headers })
      }
      // An Idempotency-Key reused for another request: nothing was applied.
      if (error instanceof IdempotencyConflictError) {
        return Response.json(
          { detail: [{ type: 'idempotency_key_reused', loc: ['header', IDEMPOTENCY_HEADER], msg: error.message }] },
          { status: 422 },
        )
      }
      // The fair-use limits (server/limits.ts), whichever write hit them.
      if (error instanceof TodoLimitError) return Response.json({ detail: error.message }, { status: 403 })
      if (error instanceof WriteRateError) {
        return Response.json(
          { detail: error.message },
          { status: 429, headers: { 'Retry-After': String(error.retryAfterSeconds) } },
        )
      }
      if (isDatabaseUnavailable(error)) {
        // Once per request, with its id: which calls an outage turned away.
        logFor(request, { component: 'api' }).warn(`${request.method} ${request.nextUrl.pathname}: 503, the database is unavailable`)
        return Response.json(
          { detail: 'Service temporarily unavailable' },
          { status: 503, headers: { 'Retry-After': '5' } },
        )
      }
      logFor(request, { component: 'api' }).error({ err: error }, `${request.method} ${request.nextUrl.pathname}`)
      return Response.json({ detail: 'Internal Server Error' }, { status: 500 })
    }
  }
}

/** The caller, from a bearer token (or the session cookie), with their saved choices; 401 otherwise. */
export async function requireApiViewer(): Promise<SignedInViewer> {
  const viewer = await getViewer()
  if (!viewer) throw notAuthorized()
  return viewer
}

export { notAuthorized }

/** 429 with `Retry-After`, and the wait in the message. */
export function tooManyRequests(what: string, retryAfterSeconds: number): HttpError {
  return new HttpError(429, `${what}; try again in ${retryAfterSeconds} seconds`, {
    'Retry-After': String(retryAfterSeconds),
  })
}

/** Zod issues in FastAPI's validation-error shape: `[{type, loc, msg}]`, with English messages. */
export function validationIssues(error: z.ZodError, location: Location, input: unknown): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))
    const missing = issue.code === 'invalid_type' && valueAt(input, path) === undefined
    return {
      type: missing ? 'missing' : issue.code,
      loc: [location, ...path],
      msg: missing ? 'Field required' : apiMessage(issue.message),
    }
  })
}

// Our schemas' messages are keys, answered in English whatever the caller's language; Zod's own
// defaults (a body that is not an object, say) are English already and say more than a generic line.
const apiMessage = (message: string) =>
  message.startsWith('validation.') ? translateMessage(englishTranslator, message) : message

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let value = input
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string | number, unknown>)[key]
  }
  return value
}

/** Parses `input` with `schema`, or fails with 422 and FastAPI-shaped details. */
export function parseOr422<S extends z.ZodType>(schema: S, input: unknown, location: Location): z.output<S> {
  const result = schema.safeParse(input)
  if (!result.success) throw new HttpError(422, validationIssues(result.error, location, input))
  return result.data
}

/**
 * The request's JSON body, validated. Only `application/json` is read (a form or text/plain body,
 * which a cross-site page can send without a preflight, is refused with 415); bodies over
 * MAX_BODY_BYTES get 413 without being read to the end; malformed JSON gets 422.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') {
    throw new HttpError(415, 'Content-Type must be application/json')
  }
  const text = await readBodyText(request)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new HttpError(422, [{ type: 'json_invalid', loc: ['body'], msg: 'JSON decode error' }])
  }
  return parseOr422(schema, body, 'body')
}

async function readBodyText(request: Request): Promise<string> {
  return new TextDecoder('utf-8', { fatal: false }).decode(await readBodyBytes(request, MAX_BODY_BYTES))
}

const tooLarge = (max = MAX_BODY_BYTES) => new HttpError(413, `Request body is larger than ${max} bytes`)

/** The request's body as bytes, or 413 as soon as it passes `max` (it is not read to the end). */
export async function readBodyBytes(request: Request, max: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > max) throw tooLarge(max)
  if (!request.body) return Buffer.alloc(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      throw tooLarge(max)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

const API_FIELDS = { dueAt: 'due_at', remindAt: 'remind_at', repeat: 'repeat' } as const

/** A rule the data layer judged (a reminder in the past, a repeat without a due date), as FastAPI's 422. */
export function ruleViolation(error: TodoRuleError): HttpError {
  return new HttpError(422, [
    { type: 'value_error', loc: ['body', API_FIELDS[error.field]], msg: translateMessage(englishTranslator, error.key) },
  ])
}

/** The header that makes a write apply once (server/idempotency.ts). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key'

/** The request's `Idempotency-Key` (a UUID), or undefined without one; 422 when it is not a UUID. */
export function idempotencyKeyOf(request: Request): IdempotencyKey | undefined {
  const value = request.headers.get(IDEMPOTENCY_HEADER)
  if (value === null) return undefined
  const parsed = IdempotencyKeySchema.safeParse(value.trim())
  if (!parsed.success) {
    throw new HttpError(422, [
      { type: 'value_error', loc: ['header', IDEMPOTENCY_HEADER], msg: 'Idempotency-Key must be a UUID, such as crypto.randomUUID() makes' },
    ])
  }
  return parsed.data
}

/** Marks an answer that a replayed Idempotency-Key got again (the change was not applied twice). */
export function replayHeaders(replayed: boolean): Record<string, string> {
  return replayed ? { 'Idempotent-Replayed': 'true' } : {}
}
