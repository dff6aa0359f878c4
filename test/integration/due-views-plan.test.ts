import { eq, sql } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { todo } from '@/db/schema'
import { db } from '@/server/db'
import { DUE_INDEX, explainBuilt, explainLists } from '../../bench/lib/database'
import { viewQueries } from '../../bench/lib/queries'
import { createTestViewer } from '../support/users'

// The benchmark's features phase judges Today and Upcoming by these plans (bench/README.md): on a
// 5,000-todo account, the page is read from todo_user_id_is_done_due_at_idx in order, and no
// access to todo sorts the account's rows.

const DAY = 86_400_000

describe('Today and Upcoming on a 5,000-todo account', () => {
  const owners: number[] = []
  afterAll(async () => {
    for (const id of owners) await db.delete(todo).where(eq(todo.userId, id))
  })

  it('read their page through the due-date index, with no filesort of the todos', async () => {
    const viewer = await createTestViewer('views')
    owners.push(viewer.id)
    const now = new Date()
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
    // As the bench seeds it: a tenth due today or overdue, a tenth in the next six days, three
    // tenths later, half without a date; a third done.
    const rows = Array.from({ length: 5_000 }, (_, n) => ({
      userId: viewer.id,
      contents: `views ${n}`,
      isDone: n % 3 === 0,
      dueAt:
        n % 10 === 0
          ? new Date(today - (n % 20) * DAY + 12 * 3_600_000)
          : n % 10 === 1
            ? new Date(today + (1 + (n % 6)) * DAY)
            : n % 10 < 5
              ? new Date(today + (8 + (n % 300)) * DAY)
              : null,
    }))
    for (let i = 0; i < rows.length; i += 1_000) await db.insert(todo).values(rows.slice(i, i + 1_000))
    await db.execute(sql`ANALYZE TABLE ${todo}`)

    const queries = await viewQueries(viewer.id, 'UTC', now)
    const [plain, ...plans] = await explainBuilt(process.env.DATABASE_URL!, [
      { query: 'plain list', ...queries.all },
      { query: 'Today', ...queries.today },
      { query: 'Upcoming', ...queries.upcoming },
    ])
    // The plain list beside them, by id through a user_id index. On this data MariaDB would choose
    // so unhinted too; in the bench's features database it scanned the primary key instead
    // (2026-12-04), hence the query's FORCE INDEX, which todos.test.ts holds in its SQL.
    expect({ usesUserIndex: plain!.usesUserIndex, sortsWholeList: plain!.sortsWholeList }).toEqual({ usesUserIndex: true, sortsWholeList: false })
    for (const plan of plans) {
      expect({ query: plan.query, pageKey: plan.pageKey, sortsWholeList: plan.sortsWholeList, usesUserIndex: plan.usesUserIndex }).toEqual({
        query: plan.query,
        pageKey: DUE_INDEX,
        sortsWholeList: false,
        usesUserIndex: true,
      })
    }
  })

  it('the API list of such an account reads it through a user_id index in id order, sorting nothing', async () => {
    // With the trash, MariaDB preferred intersecting todo_user_id_id_idx with todo_deleted_at_idx
    // (every live row matches deleted_at IS NULL) and then sorted all 5,000 rows (2026-12-03 bench).
    const viewer = await createTestViewer('apilist')
    owners.push(viewer.id)
    const rows = Array.from({ length: 5_000 }, (_, n) => ({ userId: viewer.id, contents: `api ${n}`, isDone: n % 3 === 0 }))
    for (let i = 0; i < rows.length; i += 1_000) await db.insert(todo).values(rows.slice(i, i + 1_000))
    await db.execute(sql`ANALYZE TABLE ${todo}`)
    const [apiList] = await explainLists(process.env.DATABASE_URL!, viewer.id)
    expect(apiList!.rows.filter((row) => row.table === 'todo').map((row) => ({ type: row.type, key: row.key, extra: row.extra }))).toEqual([
      { type: 'ref', key: 'todo_user_id_id_idx', extra: expect.not.stringMatching(/filesort|intersect/i) },
    ])
  })
})
