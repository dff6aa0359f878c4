// The app's two list queries, exactly as Drizzle writes them in server/todos.ts (allTodosQuery and
// todoPageQuery, for the first page; test/integration/todos.test.ts checks that they still match):
// the floor server runs the first, and the report EXPLAINs both.

export const API_LIST_SQL =
  'select `todo`.`id`, `todo`.`contents`, `todo`.`is_done`, `todo`.`due_at`, `todo`.`remind_at`, `todo`.`repeat` from `user` inner join `todo` on `todo`.`user_id` = `user`.`id` ' +
  'where (`user`.`id` = ? and `todo`.`deleted_at` is null) order by `todo`.`id` asc'

export const PAGE_LIST_SQL =
  'select `user`.`username`, `page`.`id`, `page`.`contents`, `page`.`is_done`, `page`.`due_at`, `page`.`remind_at`, `page`.`repeat`, ' +
  '(select count(*) from `todo` where `todo`.`user_id` = ? and `todo`.`deleted_at` is null), ' +
  '(select count(*) from `todo` where `todo`.`user_id` = ? and `todo`.`deleted_at` is null and `todo`.`is_done`), null ' +
  'from `user` left join (select `id`, `contents`, `is_done`, `due_at`, `remind_at`, `repeat` from `todo` where (`todo`.`user_id` = ? and `todo`.`deleted_at` is null) order by `todo`.`id` asc limit ?) `page` ' +
  'on true where `user`.`id` = ? order by `page`.`id` asc'
