// The floor: what the stack costs without a framework. A bare node:http server with a mysql2 pool
// that answers GET /api/todos with the app's own list query (user ⋈ todo) for one fixed user, in
// the API's JSON shape; no auth, no cache. GET /api/health answers like the app's.
//   DATABASE_URL=mysql://… PORT=4000 FLOOR_USER_ID=1 node --import tsx bench/floor-server.ts
import http from 'node:http'
import mysql from 'mysql2/promise'
import { API_LIST_SQL } from './lib/queries'

const databaseUrl = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/todo_bench'
const port = Number(process.env.PORT ?? 4000)
const userId = Number(process.env.FLOOR_USER_ID)
if (!Number.isSafeInteger(userId) || userId < 1) throw new Error('FLOOR_USER_ID must be a user id')

// The app's pool settings (db/client.ts), so that the difference is the framework, not the pool.
const pool = mysql.createPool({
  uri: databaseUrl,
  connectionLimit: 10,
  maxIdle: 10,
  enableKeepAlive: true,
  timezone: 'Z',
  charset: 'utf8mb4_unicode_ci',
})

type Row = { id: number | null; contents: string | null; is_done: number | null }

function send(response: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

const server = http.createServer((request, response) => {
  const path = request.url?.split('?')[0]
  if (request.method === 'GET' && path === '/api/health') return send(response, 200, { ping: 'pong' })
  if (request.method !== 'GET' || path !== '/api/todos') return send(response, 404, { detail: 'Not Found' })
  pool
    .query<(mysql.RowDataPacket & Row)[]>(API_LIST_SQL, [userId])
    .then(([rows]) => {
      // LEFT JOIN: a user without todos still has one row, with nulls.
      const todos = rows.flatMap((row) =>
        row.id === null ? [] : [{ id: row.id, contents: row.contents, is_done: row.is_done === 1 }],
      )
      send(response, 200, { todos })
    })
    .catch((error: Error) => {
      console.error(`[floor] ${error.message}`)
      send(response, 500, { detail: 'Internal Server Error' })
    })
})

server.keepAliveTimeout = 65_000
server.listen(port, '127.0.0.1', () => console.log(`floor server on http://127.0.0.1:${port}, user ${userId}`))

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close()
    server.closeAllConnections()
    void pool.end().finally(() => process.exit(0))
  })
}
