import 'server-only'
import { z } from 'zod'

// `next build` imports server modules to analyse routes; secrets are a run-time matter.
const isBuild = process.env.NEXT_PHASE === 'phase-production-build'
const isProduction = process.env.NODE_ENV === 'production' && !isBuild

// Validated once, at first import: a bad value fails with a message that names the variable.
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .url({ protocol: /^mysql$/, error: 'must be a mysql:// URL, e.g. mysql://root@127.0.0.1:3306/todo' })
    .default('mysql://root@127.0.0.1:3306/todo'),
  AUTH_SECRET: isProduction
    ? z.string({ error: 'is required in production: generate one with `openssl rand -base64 33`' }).min(32, {
        error: 'must be at least 32 characters',
      })
    : z.string().min(1).optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
})

export type Env = z.infer<typeof EnvSchema>

function loadEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env)
  if (parsed.success) return parsed.data
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
  throw new Error(`Invalid environment configuration (see .env.example):\n${lines.join('\n')}`)
}

export const env = loadEnv()
