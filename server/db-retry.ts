import 'server-only'
import { setTimeout as sleep } from 'node:timers/promises'
import { driverErrorCode } from './db-errors'
import { metrics } from './metrics'

// On a Galera cluster two transactions that touch the same rows on different nodes are both
// executed; at commit, certification lets the first through and aborts the other with a deadlock
// error (1213), as InnoDB does for a lock cycle on one server. Nothing of the aborted transaction
// was applied, so one whose every effect is inside the database can simply run again. Single
// statements outside a transaction are retried by the server itself (wsrep_retry_autocommit).
// docs/decisions/0019-galera.md

/** How many times a transaction runs at most, and the first back-off's ceiling. */
export const DEADLOCK_ATTEMPTS = 6
const FIRST_BACKOFF_MS = 15

/** Deadlock (a certification conflict on Galera) or a lock wait that timed out: nothing was applied. */
function isRetryableConflict(error: unknown): boolean {
  const code = driverErrorCode(error)
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT'
}

/**
 * Runs `work` (one whole transaction, with no effect outside the database) again when it is
 * aborted by a conflict, up to DEADLOCK_ATTEMPTS times, waiting a random time below 15, 30, 60, …
 * ms between (half a second in all at most): "full jitter", so that the losers of one conflict do
 * not collide again in step. Six attempts held twelve clients writing the same eight rows through
 * two instances and three nodes without a refusal (e2e/stack/faults.spec.ts); four did not.
 */
export async function retryDeadlocks<T>(work: () => Promise<T>, attempts: number = DEADLOCK_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error
      metrics.databaseRetries.inc()
      await sleep(Math.random() * FIRST_BACKOFF_MS * 2 ** (attempt - 1))
    }
  }
}
