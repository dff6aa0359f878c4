import type { TestProject } from 'vitest/node'
import { ensureDatabase, pushSchema } from '../../scripts/lib/database'

// Vitest globalSetup for the `integration` project: create the test database if it is missing
// and bring its tables up to date with db/schema.ts, exactly as `npm run db:push` would.
export default async function setup(project: TestProject) {
  // `test.env` only reaches the test workers; this runs in the main process, so read it here.
  const url =
    project.config.env.DATABASE_URL ?? process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/todo_test'
  try {
    await ensureDatabase(url)
    await pushSchema(url, { echo: false })
  } catch (e) {
    const hint = 'the test database is disposable: drop it and re-run'
    throw new Error(`integration setup (${url}): ${e instanceof Error ? e.message : e}; ${hint}`)
  }
}
