// The app's two list queries, exactly as Drizzle writes them in server/todos.ts (allTodosQuery and
// todoPageQuery, for the first page; test/integration/todos.test.ts checks that they still match):
// the floor server runs the first, and the report EXPLAINs both.

export const API_LIST_SQL =
  'select `todo`.`id`, `todo`.`contents`, `todo`.`is_done`, `todo`.`due_at`, `todo`.`remind_at`, `todo`.`repeat` from `user` inner join `todo` FORCE INDEX (todo_user_id_id_idx) on `todo`.`user_id` = `user`.`id` ' +
  'where (`user`.`id` = ? and `todo`.`deleted_at` is null) order by `todo`.`id` asc'

export const PAGE_LIST_SQL =
  'select `user`.`username`, `page`.`id`, `page`.`contents`, `page`.`is_done`, `page`.`due_at`, `page`.`remind_at`, `page`.`repeat`, ' +
  '(select count(*) from `todo` where `todo`.`user_id` = ? and `todo`.`deleted_at` is null), ' +
  '(select count(*) from `todo` where `todo`.`user_id` = ? and `todo`.`deleted_at` is null and `todo`.`is_done`), null, (`user`.`email` is not null and `user`.`email_verified_at` is not null) ' +
  'from `user` left join (select `id`, `contents`, `is_done`, `due_at`, `remind_at`, `repeat` from `todo` FORCE INDEX (todo_user_id_id_idx) where (`todo`.`user_id` = ? and `todo`.`deleted_at` is null) order by `todo`.`id` asc limit ?) `page` ' +
  'on true where `user`.`id` = ? order by `page`.`id` asc'

/** A query as the app would send it: its SQL and its parameters, in order. */
export type BuiltQuery = { sql: string; params: unknown[] }

export type ViewQueries = { all: BuiltQuery; today: BuiltQuery; upcoming: BuiltQuery }

/**
 * The page queries of the plain list, Today and Upcoming (page 1) for one user in `timeZone` at
 * `now`, built by the app's own todoPageQuery and dueWindows (server/todos.ts), not copied: what
 * the EXPLAIN and the timing see is what the views run. Loaded on demand: the data layer is
 * `server-only`, so the caller runs under `--conditions=react-server` (as `npm run bench` does)
 * or under Vitest, which maps it away.
 */
export async function viewQueries(userId: number, timeZone: string, now: Date): Promise<ViewQueries> {
  const { dueWindows, todoPageQuery } = await import('../../server/todos')
  const windows = dueWindows(timeZone, now)
  const built = (filter: 'all' | 'today' | 'upcoming'): BuiltQuery => {
    const { sql, params } = todoPageQuery(userId, filter, 1, windows).toSQL()
    return { sql, params }
  }
  return { all: built('all'), today: built('today'), upcoming: built('upcoming') }
}
