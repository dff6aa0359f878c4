// Runs before `npm run dev`: gives a fresh checkout what it needs to start, and nothing more.
//  1. a development AUTH_SECRET in .env.local (git-ignored), generated once;
//  2. the database named in DATABASE_URL, created if missing, with the schema pushed.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'

const ENV_FILE = '.env.local'

const current = existsSync(ENV_FILE) ? readFileSync(ENV_FILE, 'utf8') : ''
if (!/^AUTH_SECRET=/m.test(current) && !process.env.AUTH_SECRET) {
  const line = `AUTH_SECRET=${randomBytes(33).toString('base64')}\n`
  appendFileSync(ENV_FILE, (current && !current.endsWith('\n') ? '\n' : '') + line)
  console.log(`dev-setup: wrote a development AUTH_SECRET to ${ENV_FILE}`)
}

const push = spawnSync('npm', ['run', '--silent', 'db:push'], { stdio: 'inherit' })
if (push.status !== 0) {
  console.error('dev-setup: the database is not ready (see above); start MySQL/MariaDB or set DATABASE_URL.')
  process.exit(push.status ?? 1)
}
