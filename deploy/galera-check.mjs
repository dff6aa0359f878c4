// The Galera health check HAProxy asks (deploy/haproxy.cfg): one small HTTP server per node, on
// ports 3392, 3393 and 3394 for the nodes on 3311, 3312 and 3313. 200 only while the node is
// Synced and ready; a node that merely accepts log-ins (joining, donating its state, or cut off
// from the majority) answers queries with errors, so a plain `mysql-check` would send traffic to it.
// Logs in as `haproxy` (no password, no rights: SHOW STATUS needs none).
import { createServer } from 'node:http'
import mysql from 'mysql2/promise'

const nodes = [1, 2, 3].map((n) => ({ checkPort: 3391 + n, port: 3310 + n }))

async function state(port) {
  const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'haproxy', connectTimeout: 1_000 })
  try {
    const [rows] = await connection.query("SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_ready')")
    const status = Object.fromEntries(rows.map((row) => [row.Variable_name, row.Value]))
    return status.wsrep_ready === 'ON' && status.wsrep_local_state_comment === 'Synced' ? 'synced' : (status.wsrep_local_state_comment ?? 'unknown')
  } finally {
    connection.destroy()
  }
}

for (const node of nodes) {
  createServer(async (_request, response) => {
    let answer
    try {
      answer = await state(node.port)
    } catch (error) {
      answer = `down (${error.code ?? error.message})`
    }
    response.writeHead(answer === 'synced' ? 200 : 503, { 'Content-Type': 'text/plain' })
    response.end(`${answer}\n`)
  }).listen(node.checkPort, '127.0.0.1')
}
process.on('SIGTERM', () => process.exit(0))
