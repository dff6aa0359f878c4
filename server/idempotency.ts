import 'server-only'
import { createHash } from 'node:crypto'
import { and, asc, eq, lte } from 'drizzle-orm'
import { idempotencyReceipt } from '@/db/schema'
import type { IdempotencyKey } from '@/lib/validation/idempotency'
import { db } from './db'
import { dataFunction, driverErrorCode } from './db-errors'
import { retryDeadlocks } from './db-retry'
import { inScope } from './db-scope'
import type { Viewer } from './users'

// "Applied once" (docs/decisions/0016-nothing-typed-is-lost.md). A change that comes with a key
// runs inside one transaction that first inserts the receipt (user_id, key), then makes the
// change, then stores the change's answer in the receipt. A second request with the key finds the
// receipt and gets that answer back; two at once serialise on the receipt's primary key (the
// second waits for the first's commit and then sees a duplicate), so the change is made once. A
// change that fails rolls its receipt back with it: nothing was applied, and a retry may apply it.

/** The same key came with a different request: refused, nothing applied. */
export class IdempotencyConflictError extends Error {
  constructor() {
    super('This Idempotency-Key was already used for a different request')
    this.name = 'IdempotencyConflictError'
  }
}

/** Receipts are kept this long; a replay later than that applies the change again. */
export const RECEIPT_RETENTION_MS = 24 * 60 * 60_000

export type Receipt = { key: IdempotencyKey; viewer: Viewer }

/** What is asked, as a digest: the operation and its arguments (Dates as ISO text). */
export function requestHash(operation: string, args: unknown): string {
  return createHash('sha256').update(JSON.stringify([operation, args])).digest('hex')
}

async function storedOutcome<T>(viewer: Viewer, key: string, hash: string): Promise<{ found: false } | { found: true; outcome: T }> {
  const [row] = await db
    .select({ requestHash: idempotencyReceipt.requestHash, outcome: idempotencyReceipt.outcome })
    .from(idempotencyReceipt)
    .where(and(eq(idempotencyReceipt.userId, viewer.id), eq(idempotencyReceipt.key, key)))
    .limit(1)
  if (!row) return { found: false }
  if (row.requestHash !== hash) throw new IdempotencyConflictError()
  return { found: true, outcome: (row.outcome === 'undefined' ? undefined : JSON.parse(row.outcome)) as T }
}

/**
 * Applies `apply` once per (viewer, key): the first call runs it and keeps its answer, every later
 * one with the same operation and arguments gets that answer back (`replayed: true`) and changes
 * nothing; the same key with another operation or arguments throws IdempotencyConflictError.
 * Without a key it just runs `apply`.
 */
export async function applyOnce<T>(
  receipt: Receipt | undefined,
  operation: string,
  args: unknown,
  apply: () => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  if (!receipt) return { result: await apply(), replayed: false }
  const { key, viewer } = receipt
  const hash = requestHash(operation, args)
  // Each attempt starts by looking for the receipt: a conflict may have lost to this very key.
  return retryDeadlocks(async () => {
    const earlier = await storedOutcome<T>(viewer, key, hash)
    if (earlier.found) return { result: earlier.outcome, replayed: true }
    try {
      const { result, effects } = await db.transaction(async (tx) => {
        // First, so that a second request with this key waits here for this one's commit.
        await tx.insert(idempotencyReceipt).values({ userId: viewer.id, key, requestHash: hash, outcome: '', createdAt: new Date() })
        const applied = await inScope(tx, apply)
        await tx
          .update(idempotencyReceipt)
          .set({ outcome: applied.result === undefined ? 'undefined' : JSON.stringify(applied.result) })
          .where(and(eq(idempotencyReceipt.userId, viewer.id), eq(idempotencyReceipt.key, key)))
        return applied
      })
      await effects()
      return { result, replayed: false }
    } catch (error) {
      // Another request with this key committed first: answer with what it stored.
      if (driverErrorCode(error) !== 'ER_DUP_ENTRY') throw error
      const stored = await storedOutcome<T>(viewer, key, hash)
      if (!stored.found) throw error
      return { result: stored.outcome, replayed: true }
    }
  })
}

/** Deletes receipts made before `before`, in bounded batches. Run by the worker's receipt-purge scheduler. */
export const purgeReceipts = dataFunction(async (before: Date, batchSize: number = 1000, maxBatches: number = 100): Promise<number> => {
  let purged = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const [result] = await db
      .delete(idempotencyReceipt)
      .where(lte(idempotencyReceipt.createdAt, before))
      .orderBy(asc(idempotencyReceipt.createdAt))
      .limit(batchSize)
    purged += result.affectedRows
    if (result.affectedRows < batchSize) break
  }
  return purged
})

/**
 * A write function that takes a key first: `(key, viewer, ...args)`. With a key, the write is
 * applied once (applyOnce, keyed by `operation` and `args`); without one it just runs.
 */
export function appliedOnce<Args extends unknown[], Result>(
  operation: string,
  write: (viewer: Viewer, ...args: Args) => Promise<Result>,
): (key: IdempotencyKey | undefined, viewer: Viewer, ...args: Args) => Promise<{ result: Result; replayed: boolean }> {
  return (key, viewer, ...args) => applyOnce(key ? { key, viewer } : undefined, operation, args, () => write(viewer, ...args))
}
