import 'server-only'
import { count, eq } from 'drizzle-orm'
import { todo } from '@/db/schema'
import { TOO_MANY_WRITES } from '@/lib/error-digests'
import { dataFunction } from './db-errors'
import { db } from './db'
import { env } from './env'
import { rateLimiter, type Limit } from './rate-limit'
import type { Viewer } from './users'

/**
 * The fair-use limits of one account. Mutable so that integration tests can make them small;
 * the app reads them from the environment (TODO_LIMIT_PER_USER, RATE_WRITES_PER_USER_PER_MINUTE).
 */
export const accountLimits = {
  todosPerUser: env.TODO_LIMIT_PER_USER,
  writes: { name: 'writes-user', max: env.RATE_WRITES_PER_USER_PER_MINUTE, windowSeconds: 60 } satisfies Limit,
}

/** The account holds (or an import would give it) more todos than allowed, the trash included. */
export class TodoLimitError extends Error {
  constructor(readonly limit: number) {
    super(`An account can hold at most ${limit} todos (the trash included)`)
    this.name = 'TodoLimitError'
  }
}

/** The account wrote too fast; `digest` lets the error page say so (Next strips messages). */
export class WriteRateError extends Error {
  readonly digest = TOO_MANY_WRITES
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many changes; try again in ${retryAfterSeconds} seconds`)
    this.name = 'WriteRateError'
  }
}

/** Counts one write against the viewer's per-minute allowance; throws WriteRateError beyond it. */
export async function consumeWrite(viewer: Viewer): Promise<void> {
  const verdict = await rateLimiter.consume(accountLimits.writes, String(viewer.id))
  if (!verdict.allowed) throw new WriteRateError(verdict.retryAfterSeconds)
}

/**
 * A data function that writes the viewer's todos: every call first counts against the write rate.
 * Every todo write (API, page actions, import) goes through one of these.
 */
export function writeFunction<Args extends [Viewer, ...unknown[]], Result>(
  fn: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return dataFunction(async (...args: Args) => {
    await consumeWrite(args[0])
    return fn(...args)
  })
}

/** How many todos the user holds, live and in the trash. */
export async function todoCountOf(userId: number, executor: Pick<typeof db, 'select'> = db): Promise<number> {
  const [row] = await executor.select({ n: count() }).from(todo).where(eq(todo.userId, userId))
  return row?.n ?? 0
}

/**
 * Throws TodoLimitError unless the viewer can hold `adding` more todos. Two creates racing at the
 * very edge may both pass (one over the limit): a fair-use bound, not an invariant.
 */
export async function ensureRoomFor(viewer: Viewer, adding: number, executor: Pick<typeof db, 'select'> = db): Promise<void> {
  if ((await todoCountOf(viewer.id, executor)) + adding > accountLimits.todosPerUser) {
    throw new TodoLimitError(accountLimits.todosPerUser)
  }
}
