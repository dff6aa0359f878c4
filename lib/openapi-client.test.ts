import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { openApiDocument, type OpenApiDocument } from './openapi'

// A client generated from the document (openapi-typescript) must type-check the calls the README
// writes with openapi-fetch. The temp dir sits under node_modules/.cache so that `openapi-fetch`
// resolves from the project's node_modules.

const root = fileURLToPath(new URL('..', import.meta.url))
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true })
const work = mkdtempSync(join(root, 'node_modules/.cache/openapi-client-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const CLIENT = `
import createClient from 'openapi-fetch'
import type { paths } from './schema'

const client = createClient<paths>({ baseUrl: 'http://localhost:3000', headers: { Authorization: 'Bearer t' } })

export async function readmeCalls() {
  await client.POST('/api/users/sign-up', { body: { username: 'alice', password: 'violet kettle drums' } })
  await client.POST('/api/users/sign-up', { body: { username: 'minji', password: 'violet kettle drums', time_zone: 'Asia/Seoul' } })
  const login = await client.POST('/api/users/log-in', { body: { username: 'alice', password: 'violet kettle drums' } })
  const token: string | undefined = login.data?.access_token

  const plain = await client.POST('/api/todos', { body: { contents: 'Buy milk' } })
  await client.POST('/api/todos', { body: { contents: 'Call the bank', is_done: true } })
  const dated = await client.POST('/api/todos', {
    body: {
      contents: 'Call the bank',
      due_at: '2026-12-28T09:00:00+09:00',
      remind_at: '2026-12-28T08:50:00+09:00',
      repeat: 'FREQ=WEEKLY;BYDAY=MO',
    },
  })
  const due: string | null | undefined = dated.data?.due_at
  const repeat: string | null | undefined = plain.data?.repeat

  const list = await client.GET('/api/todos', { params: { query: { order: 'DESC', due_before: '2027-01-01T00:00:00Z' } } })
  await client.GET('/api/todos', { params: { query: { due_after: '2026-12-24T00:00:00+09:00' } } })
  const first: boolean | undefined = list.data?.todos[0]?.is_done

  await client.GET('/api/todos/{id}', { params: { path: { id: 1 } } })
  await client.PATCH('/api/todos/{id}', { params: { path: { id: 1 } }, body: { is_done: true } })
  await client.PATCH('/api/todos/{id}', {
    params: { path: { id: 1 } },
    body: { due_at: '2026-12-24T18:00:00+09:00', remind_at: null, repeat: 'FREQ=DAILY;COUNT=5' },
  })
  await client.PATCH('/api/todos/{id}', { params: { path: { id: 1 } }, body: { due_at: null, repeat: null } })
  await client.DELETE('/api/todos/{id}', { params: { path: { id: 1 } } })
  const trash = await client.GET('/api/trash')
  const deletedAt: string | undefined = trash.data?.todos[0]?.deleted_at
  const restored = await client.POST('/api/trash/{id}/restore', { params: { path: { id: 1 } } })
  const restoredId: number | undefined = restored.data?.id
  await client.DELETE('/api/trash/{id}', { params: { path: { id: 1 } } })
  await client.DELETE('/api/trash')

  const me = await client.GET('/api/users/me')
  const zone: string | undefined = me.data?.time_zone
  const email: string | null | undefined = me.data?.email
  await client.PATCH('/api/users/me', { body: { time_zone: 'Europe/Berlin' } })
  await client.PATCH('/api/users/me', { body: { locale: 'ko' } })
  await client.GET('/api/health')

  const asked = await client.POST('/api/users/password/forgot', { body: { email: 'alice@example.com' } })
  const detail: string | undefined = asked.data?.detail
  const reset = await client.POST('/api/users/password/reset', { body: { token: 'from-the-link', password: 'a new violet kettle' } })
  const resetFor: string | undefined = reset.data?.username
  return { token, due, repeat, first, zone, email, detail, resetFor, deletedAt, restoredId }
}
`

/** Generates the types for `document`, compiles CLIENT against them, and returns the errors. */
async function compileClient(document: OpenApiDocument, name: string): Promise<string[]> {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  const ast = await openapiTS(structuredClone(document) as unknown as Parameters<typeof openapiTS>[0], { silent: true })
  writeFileSync(join(dir, 'schema.ts'), astToString(ast))
  writeFileSync(join(dir, 'client.ts'), CLIENT)
  const program = ts.createProgram([join(dir, 'client.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  })
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

describe('a client generated from the OpenAPI document', () => {
  it('type-checks the README’s calls (is_done optional on create, dates and repeats, users/me)', async () => {
    expect(await compileClient(openApiDocument(), 'document')).toEqual([])
  }, 60_000)

  it('would fail if the document marked is_done required on create (the output shape)', async () => {
    const broken = structuredClone(openApiDocument()) as OpenApiDocument
    broken.components.schemas.NewTodo!.required = ['contents', 'is_done']
    const errors = await compileClient(broken, 'broken')
    expect(errors.join('\n')).toMatch(/is_done/)
  }, 60_000)
})
