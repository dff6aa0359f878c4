import { describe, expect, it } from 'vitest'
import {
  HTTP_METHODS,
  openApiDocument,
  REQUEST_SCHEMAS,
  resolveRef,
  RESPONSE_SCHEMAS,
  type MediaType,
  type Operation,
  type ResponseObject,
  type SchemaObject,
} from './openapi'

const ROUTES: Record<string, string[]> = {
  '/api/health': ['get'],
  '/api/users/sign-up': ['post'],
  '/api/users/log-in': ['post'],
  '/api/users/me': ['get', 'patch'],
  '/api/users/email/otp': ['post'],
  '/api/users/email/otp/verify': ['post'],
  '/api/users/password/forgot': ['post'],
  '/api/users/password/reset': ['post'],
  '/api/todos': ['get', 'post'],
  '/api/todos/{id}': ['get', 'patch', 'delete'],
  '/api/export': ['get'],
  '/api/import': ['post'],
  '/api/trash': ['get', 'delete'],
  '/api/trash/{id}': ['delete'],
  '/api/trash/{id}/restore': ['post'],
}

const document = openApiDocument()

function operations(): [string, string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method]
      return operation ? [[path, method, operation] as [string, string, Operation]] : []
    }),
  )
}

describe('openApiDocument', () => {
  it('is OpenAPI 3.1 and built once', () => {
    expect(document.openapi).toBe('3.1.0')
    expect(openApiDocument()).toBe(document)
    expect(Object.isFrozen(document.components.schemas)).toBe(true)
  })

  it('has every route with exactly its methods', () => {
    expect(Object.keys(document.paths).sort()).toEqual(Object.keys(ROUTES).sort())
    for (const [path, methods] of Object.entries(ROUTES)) {
      expect(HTTP_METHODS.filter((method) => document.paths[path]?.[method]), path).toEqual(methods)
    }
  })

  it('documents POST /api/todos from the Zod schema, with the limits Zod cannot express', () => {
    const body = document.paths['/api/todos']?.post?.requestBody
    expect(body?.required).toBe(true)
    const schema = resolveRef<SchemaObject>(document, body!.content['application/json'].schema)
    expect(schema.required).toEqual(['contents'])
    const properties = schema.properties as Record<string, SchemaObject>
    // No `default` keyword: generators read it as "always present" and made is_done required.
    expect(properties.is_done).toEqual({ type: 'boolean', description: 'Whether it is done. Optional; `false` when left out.' })
    expect(properties.contents).toMatchObject({ type: 'string', minLength: 1, maxLength: 256 })
    expect(properties.contents?.description).toMatch(/trimmed.*256 characters/)
  })

  it('needs at least one field in a PATCH body', () => {
    const body = document.paths['/api/todos/{id}']?.patch?.requestBody
    const schema = resolveRef<SchemaObject>(document, body!.content['application/json'].schema)
    expect(schema.required).toBeUndefined()
    expect(schema.anyOf).toEqual(
      ['contents', 'is_done', 'due_at', 'remind_at', 'repeat'].map((field) => ({ required: [field] })),
    )
  })

  it('documents due dates: any offset in, UTC out, null to clear', () => {
    const newTodo = document.components.schemas.NewTodo!
    const properties = newTodo.properties as Record<string, SchemaObject>
    expect(properties.due_at?.anyOf).toEqual([expect.objectContaining({ type: 'string', format: 'date-time' }), { type: 'null' }])
    expect(JSON.stringify(properties.repeat)).toMatch(/RRULE/)
    const todo = document.components.schemas.Todo!
    expect(todo.required).toEqual(['id', 'contents', 'is_done', 'due_at', 'remind_at', 'repeat'])
  })

  it('documents the parameters: the path id, the list order and the writes\' Idempotency-Key', () => {
    const id = expect.objectContaining({ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'integer' }) })
    const key = expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', format: 'uuid' } })
    expect(document.paths['/api/todos/{id}']?.get?.parameters).toEqual([id])
    for (const method of ['patch', 'delete'] as const) expect(document.paths['/api/todos/{id}']?.[method]?.parameters).toEqual([id, key])
    expect(document.paths['/api/todos']?.post?.parameters).toEqual([key])
    expect(document.paths['/api/trash']?.delete?.parameters).toEqual([key])
    expect(document.paths['/api/trash/{id}']?.delete?.parameters).toEqual([id, key])
    expect(document.paths['/api/trash/{id}/restore']?.post?.parameters).toEqual([id, key])
    expect(document.paths['/api/todos']?.get?.parameters).toEqual([
      expect.objectContaining({
        name: 'order',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['ASC', 'DESC'], default: 'ASC' },
      }),
      expect.objectContaining({ name: 'due_before', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } }),
      expect.objectContaining({ name: 'due_after', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } }),
    ])
  })

  it('asks for the bearer token exactly where the API does', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    })
    for (const [path, method, operation] of operations()) {
      const needsToken =
        path.startsWith('/api/todos') ||
        path.startsWith('/api/trash') ||
        path.startsWith('/api/users/email') ||
        path === '/api/users/me' ||
        path === '/api/export' ||
        path === '/api/import'
      expect(operation.security, `${method} ${path}`).toEqual(needsToken ? [{ bearerAuth: [] }] : [])
      if (needsToken) expect(operation.responses['401'], `${method} ${path}`).toBeDefined()
    }
  })

  it('lists the error statuses that apply', () => {
    for (const [path, method, operation] of operations()) {
      const statuses = Object.keys(operation.responses)
      if (operation.requestBody) {
        expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['413', '415', '422']))
      }
      if (path.includes('{id}')) expect(statuses, `${method} ${path}`).toContain('404')
      if (path !== '/api/health') expect(statuses, `${method} ${path}`).toContain('503')
    }
    expect(Object.keys(document.paths['/api/users/log-in']!.post!.responses)).toEqual(
      expect.arrayContaining(['200', '401', '429']),
    )
  })

  it('resolves every $ref', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? []
    expect(refs.length).toBeGreaterThan(0)
    for (const match of refs) expect(() => resolveRef(document, JSON.parse(`{${match}}`))).not.toThrow()
  })

  it('gives examples that the Zod schemas accept', () => {
    const zodSchemas: Record<string, { safeParse: (value: unknown) => { success: boolean } }> = {
      ...REQUEST_SCHEMAS,
      ...RESPONSE_SCHEMAS,
    }
    let checked = 0
    for (const [path, method, operation] of operations()) {
      const media: MediaType[] = [
        ...(operation.requestBody ? [operation.requestBody.content['application/json']] : []),
        ...Object.values(operation.responses).flatMap((response) => {
          const content = resolveRef<ResponseObject>(document, response).content
          return content ? [content['application/json']] : []
        }),
      ]
      for (const { schema, example } of media) {
        if (example === undefined || typeof schema.$ref !== 'string') continue
        const name = schema.$ref.split('/').pop()!
        expect(zodSchemas[name]?.safeParse(example).success, `${method} ${path}: ${JSON.stringify(example)}`).toBe(true)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(10)
  })

  it('round-trips through JSON', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document)
  })
})
