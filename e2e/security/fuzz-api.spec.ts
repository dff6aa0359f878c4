import fc from 'fast-check'
import { expect, test, type APIRequestContext } from '@playwright/test'
import {
  almostShaped,
  anyJson,
  awkwardNumber,
  boundaryString,
  hasLoneSurrogate,
  hostileString,
  loneSurrogate,
  plausibleEmail,
} from '../../test/support/arbitraries'
import { apiUser, createApiTodo, type ApiUser } from '../api/client'
import { PASSWORD } from '../fixtures'
import { fuzzSettings } from './fuzzing'

// Black-box fuzzing of the JSON API, as any client on the network could: arbitrary JSON, raw
// strings and bytes, wrong content types, oversized bodies, hostile path ids, query strings and
// Authorization headers. Whatever arrives, the server must answer as a client error (or a
// success), never with a 5xx. A failure prints fast-check's seed and path and the shrunk request;
// replay it with FC_SEED=… FC_PATH=… and the same command.

/** Requests per route: 11 routes of 200 each take about 20 s on 2 cores. */
const RUNS = 200

/**
 * Found by this suite and fixed: a path segment with a malformed percent-escape (`/api/todos/%ZZ`)
 * got a bare 500 from Next's decoding of dynamic params; server.mjs now answers 400 first. Set to
 * true only to keep such segments out of the general fuzz while investigating a regression.
 */
const MALFORMED_ESCAPES_ANSWER_500 = false

/**
 * Found by this suite and fixed: todo text with a lone surrogate (`"\ud800"` in JSON) was stored as
 * U+FFFD yet answered as sent; TodoContentsSchema now refuses it (422). Same use as the switch above.
 */
const LONE_SURROGATES_BECOME_FFFD = false

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string; type: string }
  | { kind: 'bytes'; bytes: Uint8Array; type: string }
type Auth = { kind: 'user' } | { kind: 'none' } | { kind: 'header'; value: string }
type Probe = { method: string; path: string; query: string; auth: Auth; body: Body }

const JSON_TYPE = 'application/json'
const NO_BODY: Body = { kind: 'none' }

/** Content types a client might send instead of JSON, or as odd spellings of it. */
const contentType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'application/json;',
    'application/jsonx',
    'application/vnd.api+json',
    'text/x-component',
    '*/*',
  ),
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
)

/** JSON texts that trip naive parsers: BOM, trailing garbage, duplicate and prototype keys, deep nesting. */
const trickyJson = fc.constantFrom(
  '',
  ' ',
  'null',
  '[]',
  '{}',
  '"contents"',
  '1e400',
  '{"contents":',
  '\ufeff{"contents":"x"}',
  '{"contents":"x"}garbage',
  '{"contents":"a","contents":1}',
  '{"__proto__":{"is_done":true},"contents":"x"}',
  '{"constructor":{"prototype":{"is_done":true}},"contents":"x"}',
  '{"contents":"\\ud800"}',
  '{"contents":"\\u0000"}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `{"a":${'{"a":'.repeat(2000)}1${'}'.repeat(2001)}`,
)

const raw = (text: string, type = JSON_TYPE): Body => ({ kind: 'text', text, type })

/** A JSON body of exactly `size` bytes: the 16 KiB limit from both sides, and far past it. */
const oversized = fc
  .constantFrom(16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 64 * 1024, 1024 * 1024)
  .map((size) => raw(`{"contents":"${'x'.repeat(size - '{"contents":""}'.length)}"}`))

/** Every kind of request body; mostly almost the right shape, so that many get past the parser. */
function bodies(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Body> {
  const shaped = almostShaped(fields, anyJson)
  const text = fc.oneof(hostileString({ hugeLength: 20_000 }), trickyJson)
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((value): Body => ({ kind: 'json', value })) },
    { weight: 2, arbitrary: anyJson.map((value): Body => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: text.map((t) => raw(t)) },
    { weight: 1, arbitrary: fc.tuple(text, contentType).map(([t, type]) => raw(t, type)) },
    { weight: 1, arbitrary: fc.tuple(shaped, contentType).map(([value, type]) => raw(JSON.stringify(value), type)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.uint8Array({ maxLength: 200 }), contentType)
        .map(([bytes, type]): Body => ({ kind: 'bytes', bytes, type })),
    },
    { weight: 1, arbitrary: oversized },
  )
}

/** Percent-encodes the UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD, as in any client). */
function encodeSegment(text: string): string {
  const unreserved = /[A-Za-z0-9\-._~]/
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => String.fromCharCode(byte))
    .map((char) => (unreserved.test(char) ? char : `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .join('')
}

function hasMalformedEscape(segment: string): boolean {
  try {
    decodeURIComponent(segment)
    return false
  } catch {
    return true
  }
}

/** Path segments typed by hand: traversal, NUL, stray and overlong escapes, reserved characters. */
const handMadeSegment = fc
  .oneof(
    fc.constantFrom('..%2F', '..%2F..%2Fhealth', '%2e%2e', '.', '%00', '%20', '%2F', '%ZZ', '%', '%E0%A4%A', '%C0%AF'),
    fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{1,16}$/),
  )
  .filter((segment) => !(MALFORMED_ESCAPES_ANSWER_500 && hasMalformedEscape(segment)))

/**
 * Random URLs stay under 7 KB: the server answers 431 past 16 KiB, but between the two a redirect
 * (`/api/todos/` → `/api/todos`) would echo the URL in a Location header longer than the client's
 * own limit. One probe per route sends a 20 KiB URL on purpose instead.
 */
const fitsUrl = (probe: Probe) => probe.path.length + probe.query.length < 7_000

/** A todo id as it appears in a URL: numbers of every size and shape, any text, hand-made segments. */
const pathId = fc.oneof(
  fc.integer().map(String),
  awkwardNumber.map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('2147483647', '2147483648', '9007199254740993', '-0', '0x10', '1e3', '1.0', '01', ' 1', '+1', '１'),
  hostileString({ maxLength: 40, hugeLength: 500 }).map(encodeSegment),
  handMadeSegment,
)

/** Query strings: well-encoded pairs of any text, and raw ones with stray escapes and odd shapes. */
const queryString = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constant('order'), hostileString({ maxLength: 20, hugeLength: 300 })),
        hostileString({ maxLength: 20, hugeLength: 300 }),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => new URLSearchParams(pairs).toString()),
  fc.constantFrom('order=asc', 'order=DESC', 'order=desc&order=asc', 'order[]=asc', 'order=%E0%A4%A', '%', '&&', '='),
  fc.stringMatching(/^[\x21-\x7e]{0,40}$/),
)

/** Authorization: the fuzz user's token mostly (to reach the handlers), sometimes none or garbage. */
const auth = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Auth>({ kind: 'user' }) },
  fc.constant<Auth>({ kind: 'none' }),
  fc
    .oneof(
      fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
      fc.stringMatching(/^Bearer [A-Za-z0-9_.-]{0,200}$/),
      fc.constantFrom('Bearer', 'Bearer ', 'bearer a.b.c', `Bearer ${'a'.repeat(5000)}.b.c`),
    )
    .map((value): Auth => ({ kind: 'header', value })),
)

const todoFields = {
  contents: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), boundaryString),
  is_done: fc.boolean(),
}
const otpFields = { email: plausibleEmail, otp: fc.stringMatching(/^\d{6}$/) }
const resetFields = {
  token: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), boundaryString),
  password: fc.oneof(fc.constant(PASSWORD), boundaryString),
}
const userFields = {
  username: fc.stringMatching(/^[a-z0-9_.-]{3,32}$/),
  password: fc.oneof(fc.constant(PASSWORD), boundaryString),
}

/** Sends a probe and returns its status; any 5xx fails with the whole request described. */
async function send(request: APIRequestContext, user: ApiUser, probe: Probe): Promise<number> {
  const headers: Record<string, string> = {}
  if (probe.auth.kind === 'user') headers.authorization = `Bearer ${user.token}`
  if (probe.auth.kind === 'header') headers.authorization = probe.auth.value
  let data: string | Buffer | undefined
  if (probe.body.kind === 'json') data = JSON.stringify(probe.body.value) ?? 'null'
  if (probe.body.kind === 'text') data = probe.body.text
  if (probe.body.kind === 'bytes') data = Buffer.from(probe.body.bytes)
  if (probe.body.kind !== 'none') headers['content-type'] = 'type' in probe.body ? probe.body.type : JSON_TYPE
  const url = probe.query === '' ? probe.path : `${probe.path}?${probe.query}`
  const { method } = probe
  const response = await request.fetch(url, { method, headers, data, maxRedirects: 0, timeout: 15_000 })
  const status = response.status()
  if (status >= 500) {
    const answer = (await response.text()).slice(0, 300)
    expect(status, `${method} ${url.slice(0, 300)} → ${status} ${answer}\n${preview(probe)}`).toBeLessThan(500)
  }
  return status
}

function preview(probe: Probe): string {
  return JSON.stringify(probe, (_key, value: unknown) => {
    if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 200)}…(${value.length} chars)`
    if (value instanceof Uint8Array) return `bytes(${Buffer.from(value).toString('hex').slice(0, 100)})`
    return value
  })
}

type Route = {
  method: string
  path: string
  body?: Record<string, fc.Arbitrary<unknown>>
  /** A status the route must answer at least once: proof that some requests got past validation. */
  reaches: number
}

const ROUTES: Route[] = [
  { method: 'POST', path: '/api/users/sign-up', body: userFields, reaches: 201 },
  { method: 'POST', path: '/api/users/log-in', body: userFields, reaches: 401 },
  { method: 'GET', path: '/api/todos', reaches: 200 },
  { method: 'POST', path: '/api/todos', body: todoFields, reaches: 201 },
  { method: 'GET', path: '/api/todos/{id}', reaches: 200 },
  { method: 'PATCH', path: '/api/todos/{id}', body: todoFields, reaches: 200 },
  { method: 'DELETE', path: '/api/todos/{id}', reaches: 204 },
  { method: 'GET', path: '/api/trash', reaches: 200 },
  { method: 'DELETE', path: '/api/trash', reaches: 204 },
  // The caller's own ids are live todos, not in the trash: a 404 proves the data layer was asked.
  { method: 'POST', path: '/api/trash/{id}/restore', reaches: 404 },
  { method: 'DELETE', path: '/api/trash/{id}', reaches: 404 },
  { method: 'POST', path: '/api/users/email/otp', body: { email: plausibleEmail }, reaches: 202 },
  { method: 'POST', path: '/api/users/email/otp/verify', body: otpFields, reaches: 400 },
  { method: 'POST', path: '/api/users/password/forgot', body: { email: plausibleEmail }, reaches: 202 },
  { method: 'POST', path: '/api/users/password/reset', body: resetFields, reaches: 400 },
  { method: 'GET', path: '/api/health', reaches: 200 },
  { method: 'GET', path: '/api/openapi.json', reaches: 200 },
]

/** Requests for a route; `{id}` is any path id, or one of the caller's own todos (to reach the data layer). */
function probesFor(route: Route, ownIds: number[]): fc.Arbitrary<Probe> {
  const id = fc.oneof(pathId, fc.constantFrom(...ownIds).map(String))
  const path = id.map((value) => route.path.replace('{id}', value))
  const body = route.body ? bodies(route.body) : fc.constant(NO_BODY)
  return fc.record({ method: fc.constant(route.method), path, query: queryString, auth, body }).filter(fitsUrl)
}

test.describe('no request makes the JSON API answer 5xx', () => {
  for (const route of ROUTES) {
    test(`${route.method} ${route.path}`, async ({ request }) => {
      test.setTimeout(90_000)
      const user = await apiUser(request, 'fuzz')
      // Todos of the caller's own, so that valid ids reach the data layer (DELETE may use them up).
      const ownIds: number[] = []
      for (let i = 0; i < 5; i++) ownIds.push((await createApiTodo(request, user, `fuzz target ${i}`)).id)
      const statuses = new Map<number, number>()
      const started = Date.now()

      // One URL past every server limit (Node refuses headers over 16 KiB): a 4xx, not a crash.
      const path = route.path.replace('{id}', String(ownIds[0]))
      const query = `q=${'x'.repeat(20_000)}`
      await send(request, user, { method: route.method, path, query, auth: { kind: 'user' }, body: NO_BODY })

      await fc.assert(
        fc.asyncProperty(probesFor(route, ownIds), async (probe) => {
          const status = await send(request, user, probe)
          statuses.set(status, (statuses.get(status) ?? 0) + 1)
        }),
        fuzzSettings(RUNS),
      )
      const seen = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`)
      const took = Date.now() - started
      console.info(`[fuzz] ${route.method} ${route.path}: ${RUNS} requests in ${took} ms, answered ${seen.join(' ')}`)
      expect(statuses.get(route.reaches), `requests answered ${route.reaches}`).toBeGreaterThan(0)
    })
  }

  test('any method on any API path', async ({ request }) => {
    test.setTimeout(90_000)
    const user = await apiUser(request, 'fuzz')
    const known = [
      ...['/api/users/sign-up', '/api/users/log-in', '/api/users/email/otp', '/api/users/email/otp/verify'],
      ...['/api/users/password/forgot', '/api/users/password/reset'],
      ...['/api/todos', '/api/todos/1', '/api/health', '/api/openapi.json', '/api/metrics', '/api', '/api/'],
    ]
    const path = fc.oneof(
      fc.constantFrom(...known),
      fc.array(pathId, { minLength: 1, maxLength: 3 }).map((segments) => `/api/${segments.join('/')}`),
    )
    const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')
    const probe = fc
      .record({ method, path, query: queryString, auth, body: bodies(todoFields) })
      .map((p) => (p.method === 'GET' || p.method === 'HEAD' ? { ...p, body: NO_BODY } : p))
      .filter(fitsUrl)
    await fc.assert(
      fc.asyncProperty(probe, async (p) => void (await send(request, user, p))),
      fuzzSettings(RUNS),
    )
  })

  test('what POST and PATCH answer is what every later read returns', async ({ request }) => {
    test.setTimeout(90_000)
    const user = await apiUser(request, 'fuzz')
    const headers = user.headers
    const codePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
    const stored = (t: string) => t.trim().normalize('NFC')
    const text = fc
      .oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 256 }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string({ unit: fc.oneof(codePoint, loneSurrogate), minLength: 1, maxLength: 20 }),
        boundaryString,
      )
      // Text with a lone surrogate is refused (422), as 'a lone surrogate round-trips' checks.
      .filter((t) => !hasLoneSurrogate(t))
      // What is stored: trimmed, NFC, 1 to 256 code points, no control characters (those get 422).
      .filter((t) => stored(t) !== '' && [...stored(t)].length <= 256 && !/[\u0000-\u001f\u007f-\u009f]/.test(stored(t)))
    await fc.assert(
      fc.asyncProperty(text, text, fc.boolean(), async (first, second, isDone) => {
        const created = await request.post('/api/todos', { headers, data: { contents: first } })
        expect(created.status()).toBe(201)
        const answer = await created.json()
        expect(await (await request.get(`/api/todos/${answer.id}`, { headers })).json()).toEqual(answer)
        const patch = { contents: second, is_done: isDone }
        const changed = await (await request.patch(`/api/todos/${answer.id}`, { headers, data: patch })).json()
        expect(changed).toEqual({ id: answer.id, contents: stored(second), is_done: isDone, due_at: null, remind_at: null, repeat: null })
        const listed = (await (await request.get('/api/todos', { headers })).json()).todos as unknown[]
        expect(listed).toContainEqual(changed)
      }),
      fuzzSettings(100),
    )
  })

  test('a lone surrogate round-trips', async ({ request }) => {
    test.fail(LONE_SURROGATES_BECOME_FFFD, 'known bug: stored as U+FFFD, answered as sent (see the switch above)')
    const user = await apiUser(request, 'fuzz')
    const created = await request.post('/api/todos', { headers: user.headers, data: { contents: 'a\ud800b' } })
    // Fixed either way: refused as invalid text, or answered as it is stored.
    expect([201, 422]).toContain(created.status())
    if (created.status() === 201) {
      const answer = await created.json()
      expect(await (await request.get(`/api/todos/${answer.id}`, { headers: user.headers })).json()).toEqual(answer)
    }
  })

  test('malformed percent-escapes in a path', async ({ request }) => {
    test.fail(MALFORMED_ESCAPES_ANSWER_500, 'known bug: a bare 500 before the route runs (see the switch above)')
    const user = await apiUser(request, 'fuzz')
    const paths = ['/api/todos/%ZZ', '/api/todos/%E0%A4%A', '/api/todos/%ED%A0%80', '/api/todos/%', '/api/%ZZ/x']
    for (const path of paths) {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        await send(request, user, { method, path, query: '', auth: { kind: 'user' }, body: NO_BODY })
      }
    }
  })
})
