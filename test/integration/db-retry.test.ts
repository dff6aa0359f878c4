import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { idempotencyReceipt, todo, user } from '@/db/schema'
import { IdempotencyKeySchema } from '@/lib/validation/idempotency'
import { db } from '@/server/db'
import { DatabaseUnavailableError, dataFunction } from '@/server/db-errors'
import { DEADLOCK_ATTEMPTS, retryDeadlocks } from '@/server/db-retry'
import { transaction, type Transaction } from '@/server/db-scope'
import { applyOnce } from '@/server/idempotency'
import { metrics } from '@/server/metrics'
import { createTestViewer } from '../support/users'

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
})

/** A promise and its resolve, to make two transactions take their locks in a chosen order. */
function signal() {
  let fire!: () => void
  const fired = new Promise<void>((resolve) => (fire = resolve))
  return { fire, fired }
}

/** Takes the row's lock (SELECT … FOR UPDATE) in `tx`. */
const lock = (tx: Transaction, id: number) => tx.select({ id: todo.id }).from(todo).where(eq(todo.id, id)).for('update')

/** How many times retryDeadlocks ran `work` that always throws `error`, before it gave up. */
async function attemptsBeforeGivingUp(error: Error): Promise<number> {
  let attempts = 0
  await expect(
    retryDeadlocks(async () => {
      attempts++
      throw error
    }),
  ).rejects.toBe(error)
  return attempts
}

const retries = async () => (await metrics.databaseRetries.get()).values.reduce((sum, value) => sum + value.value, 0)

describe('transactions aborted by a deadlock are run again', () => {
  it('two transactions that lock two rows in opposite orders both commit; the loser ran twice', async () => {
    const owner = await createTestViewer('deadlock')
    cleanups.push(() => db.delete(user).where(eq(user.id, owner.id)))
    const ids = []
    for (const contents of ['a', 'b']) {
      const [created] = await db.insert(todo).values({ userId: owner.id, contents }).$returningId()
      ids.push(created!.id)
    }
    const [a, b] = ids as [number, number]
    const aLocked = signal()
    const bLocked = signal()
    const runs = { first: 0, second: 0 }
    const before = await retries()

    // InnoDB finds the cycle at once and aborts one of them with ER_LOCK_DEADLOCK (1213): the same
    // error Galera gives the loser of a certification conflict.
    const first = transaction(async (tx) => {
      runs.first++
      await lock(tx, a)
      aLocked.fire()
      await bLocked.fired
      await lock(tx, b)
      await tx.update(todo).set({ contents: sql`concat(${todo.contents}, '1')` }).where(eq(todo.userId, owner.id))
      return 'first'
    })
    const second = transaction(async (tx) => {
      runs.second++
      await aLocked.fired
      await lock(tx, b)
      bLocked.fire()
      await lock(tx, a)
      await tx.update(todo).set({ contents: sql`concat(${todo.contents}, '2')` }).where(eq(todo.userId, owner.id))
      return 'second'
    })

    expect(await Promise.all([first, second])).toEqual(['first', 'second'])
    expect(runs.first + runs.second).toBe(3)
    expect(await retries()).toBe(before + 1)
    // Each update applied exactly once, in commit order.
    const rows = await db.select({ contents: todo.contents }).from(todo).where(eq(todo.userId, owner.id)).orderBy(todo.id)
    const suffix = runs.first === 2 ? '21' : '12'
    expect(rows.map((row) => row.contents)).toEqual([`a${suffix}`, `b${suffix}`])
  })

  it('a deadlock inside a change applied once repeats the whole receipt transaction, once applied', async () => {
    const owner = await createTestViewer('deadlock_once')
    cleanups.push(() => db.delete(user).where(eq(user.id, owner.id)))
    const ids: number[] = []
    for (let i = 0; i < 22; i++) {
      const [created] = await db.insert(todo).values({ userId: owner.id, contents: i === 0 ? 'a' : `t${i}` }).$returningId()
      ids.push(created!.id)
    }
    const [a, b, ...others] = ids as [number, number, ...number[]]
    const aLocked = signal()
    const bLocked = signal()
    let runs = 0
    const key = IdempotencyKeySchema.parse(randomUUID())

    // The change with a key (its receipt inserted first) locks a, then b. The other transaction
    // changes twenty rows first, so that InnoDB picks the smaller keyed change as the victim.
    const keyed = applyOnce({ key, viewer: owner }, 'deadlock-test', [], () =>
      transaction(async (tx) => {
        runs++
        await lock(tx, a)
        aLocked.fire()
        await bLocked.fired
        await lock(tx, b)
        await tx.update(todo).set({ contents: sql`concat(${todo.contents}, '!')` }).where(eq(todo.id, a))
        return 'keyed'
      }),
    )
    const other = transaction(async (tx) => {
      await aLocked.fired
      for (const id of others) await tx.update(todo).set({ isDone: true }).where(eq(todo.id, id))
      await lock(tx, b)
      bLocked.fire()
      // The keyed change is waiting for b by now: this request closes the cycle.
      await new Promise((resolve) => setTimeout(resolve, 100))
      await lock(tx, a)
      return 'other'
    })

    expect(await Promise.all([keyed, other])).toEqual([{ result: 'keyed', replayed: false }, 'other'])
    expect(runs).toBe(2)
    const [row] = await db.select({ contents: todo.contents }).from(todo).where(eq(todo.id, a))
    expect(row?.contents).toBe('a!')
    expect(await db.select().from(idempotencyReceipt).where(eq(idempotencyReceipt.userId, owner.id))).toHaveLength(1)
  })

  it('gives up after DEADLOCK_ATTEMPTS (then the caller hears "unavailable"), and never repeats other errors', async () => {
    const deadlock = Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' })
    expect(await attemptsBeforeGivingUp(deadlock)).toBe(DEADLOCK_ATTEMPTS)
    // Through a data function the caller is told "unavailable" (503: try again), not a 500.
    await expect(dataFunction(() => retryDeadlocks(() => Promise.reject(deadlock)))()).rejects.toBeInstanceOf(DatabaseUnavailableError)

    const duplicate = Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' })
    expect(await attemptsBeforeGivingUp(duplicate)).toBe(1)
  })

  it('a transaction whose connection dies half-way is "unavailable" (a 503), and is not run again', async () => {
    let runs = 0
    // What a Galera node that is killed (or HAProxy cutting its sessions) does to a transaction.
    const cutShort = dataFunction(() =>
      transaction(async (tx) => {
        runs++
        const [rows] = await tx.execute(sql`SELECT CONNECTION_ID() AS id`)
        const { id } = (rows as unknown as { id: number }[])[0]!
        await db.execute(sql`KILL CONNECTION ${sql.raw(String(Number(id)))}`)
        await tx.execute(sql`SELECT 1`)
      }),
    )
    await expect(cutShort()).rejects.toBeInstanceOf(DatabaseUnavailableError)
    // Its commit may or may not have happened: only the caller (with an Idempotency-Key) may retry.
    expect(runs).toBe(1)
  })
})
