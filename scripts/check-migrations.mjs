// npm run db:check [-- --schema <file>]
//
// Fails when db/schema.ts has changes that no committed migration in drizzle/ covers.
// `drizzle-kit generate` runs against a copy of drizzle/, so the repo is never modified.
// drizzle-kit generate exits 0 even when it fails and mangles an absolute --out ('.//tmp/...'),
// so run it from the temp dir with a relative --out and judge by the files it wrote.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { schema: { type: 'string', default: join(root, 'db/schema.ts') } } })
const drizzleKit = join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs')

const work = mkdtempSync(join(tmpdir(), 'db-check-'))
try {
  cpSync(join(root, 'drizzle'), join(work, 'drizzle'), { recursive: true })
  const before = readdirSync(join(work, 'drizzle'))
  const args = ['generate', '--dialect', 'mysql', '--schema', resolve(values.schema), '--out', './drizzle']
  // No terminal: a "was this column renamed?" prompt rejects at once instead of waiting.
  const run = spawnSync(process.execPath, [drizzleKit, ...args], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  })
  const added = readdirSync(join(work, 'drizzle')).filter((f) => !before.includes(f))
  if (added.length > 0 || run.stderr.includes('Interactive prompts require a TTY')) {
    console.error('db:check: schema changed: run npm run db:generate and commit drizzle/')
    process.exitCode = 1
  } else if (run.status !== 0 || !run.stdout.includes('No schema changes')) {
    process.stderr.write(run.stdout + run.stderr)
    console.error('db:check: could not run drizzle-kit generate (output above)')
    process.exitCode = 1
  } else {
    console.log(`db:check: drizzle/ covers ${values.schema}`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
