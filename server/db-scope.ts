import 'server-only'
import { AsyncLocalStorage } from 'node:async_hooks'
import { sql } from 'drizzle-orm'
import { db } from './db'
import { retryDeadlocks } from './db-retry'

// Where the data layer's SQL goes. Outside a scope: the pool. Inside one: the scope's transaction,
// which is either a change applied once (server/idempotency.ts: the receipt and the change commit
// together) or a read that must see the latest commit on every node (readYourWrites).

export type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0]
export type Executor = typeof db | Transaction

type Scope = { tx: Transaction; afterCommit: (() => Promise<unknown>)[] }
const scope = new AsyncLocalStorage<Scope>()

/** Where a query sends its SQL: the scope's transaction when there is one, else the pool. */
export function executor(): Executor {
  return scope.getStore()?.tx ?? db
}

/**
 * Runs `effect` (cache invalidation, reminder scheduling) once the write is committed: at once
 * outside a scope, after its commit inside one (a reader must not cache the old rows under the new
 * cache version).
 */
export async function afterCommit(effect: () => Promise<unknown>): Promise<void> {
  const current = scope.getStore()
  if (current) current.afterCommit.push(effect)
  else await effect()
}

/**
 * Runs `work` inside `tx` as the current scope, then (after the caller commits) the effects it
 * deferred. For server/idempotency.ts, which owns the transaction it runs in.
 */
export async function inScope<T>(tx: Transaction, work: () => Promise<T>): Promise<{ result: T; effects: () => Promise<void> }> {
  const current: Scope = { tx, afterCommit: [] }
  const result = await scope.run(current, work)
  return {
    result,
    effects: async () => {
      for (const effect of current.afterCommit) await effect()
    },
  }
}

/**
 * A transaction of the data layer. At the top it is retried whole when Galera's certification (or
 * an InnoDB deadlock) aborts it: `fn` must have no effect outside the database (defer those with
 * afterCommit). Inside a scope it is part of the scope's transaction, which is retried whole
 * instead. Not a savepoint: a deadlock rolls the whole transaction back, savepoints with it, and
 * the ROLLBACK TO SAVEPOINT that followed failed ("SAVEPOINT sp1 does not exist"), hiding the
 * deadlock from the retry. Nothing needs one: whatever `fn` throws fails the scope's transaction.
 */
export function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const current = scope.getStore()
  if (current) return fn(current.tx)
  return retryDeadlocks(() => db.transaction(fn))
}

let galera: Promise<boolean> | undefined
/** Whether the database is a Galera node (asked once per process; MariaDB without a cluster says 0). */
function onGalera(): Promise<boolean> {
  galera ??= db
    .execute(sql`SELECT @@wsrep_on AS wsrep`)
    .then(([rows]) => Number((rows as unknown as { wsrep: unknown }[])[0]?.wsrep) === 1)
    .catch((error: unknown) => {
      galera = undefined // unreachable now: ask again next time
      // MySQL has no such variable: not Galera. Anything else is the caller's error to see.
      if ((error as { code?: string }).code === 'ER_UNKNOWN_SYSTEM_VARIABLE') return false
      throw error
    })
  return galera
}

/**
 * Runs `load` so that it sees every transaction committed anywhere in the cluster before it began.
 * Galera applies a commit on the other nodes a moment after it returns on its own; a reader there
 * in that moment sees the old rows. That is harmless for one answer, but not for a view that is
 * cached under the user's new version (it would stay stale until the next change): such a read
 * waits for the node to catch up (`wsrep_sync_wait = 1`, for reads) on a connection of its own,
 * which `load` reaches through executor(). Elsewhere (one MariaDB, or MySQL) it just runs `load`.
 */
export async function readYourWrites<T>(load: () => Promise<T>): Promise<T> {
  if (scope.getStore() || !(await onGalera())) return load()
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`SET SESSION wsrep_sync_wait = 1`)
      try {
        return (await inScope(tx, load)).result
      } finally {
        await tx.execute(sql`SET SESSION wsrep_sync_wait = DEFAULT`)
      }
    },
    { accessMode: 'read only', isolationLevel: 'repeatable read' },
  )
}
