// npm run db:push [-- --allow-data-loss] [-- --config <drizzle config>]
//
// Creates the database if missing (utf8mb4, case-insensitive collation), then runs the data steps
// a push cannot do (prepareForPush: the username_key backfill) and the patched drizzle-kit push
// (see patches/ and docs/decisions/0001-safe-drizzle-push-on-mariadb.md).
// It never waits for input: a change that would lose data, or that drizzle-kit cannot tell
// from a rename, is refused (exit 1) unless --allow-data-loss is given.
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { DEFAULT_DATABASE_URL, ensureDatabase, pushSchema } from './lib/database'

try {
  const { values } = parseArgs({
    options: {
      'allow-data-loss': { type: 'boolean', default: false },
      config: { type: 'string', default: 'drizzle.config.ts' },
    },
  })
  // Same precedence as Next (environment, then .env.local, then .env), so db:push targets the
  // app's database; drizzle-kit then gets that URL explicitly instead of reading .env itself.
  for (const file of ['.env.local', '.env']) if (existsSync(file)) process.loadEnvFile(file)
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL
  await ensureDatabase(url)
  await pushSchema(url, { config: values.config, allowDataLoss: values['allow-data-loss'] })
} catch (e) {
  console.error(`db:push: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
}
