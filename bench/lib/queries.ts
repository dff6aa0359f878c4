// The app's two list queries, exactly as Drizzle writes them for server/todos.ts (listAllTodos and
// loadTodoPage): the floor server runs the first, and the report EXPLAINs both.

export const API_LIST_SQL =
  'select `todo`.`id`, `todo`.`contents`, `todo`.`is_done` from `user` left join `todo` on `todo`.`user_id` = `user`.`id` ' +
  'where `user`.`id` = ? order by `todo`.`id` asc'

export const PAGE_LIST_SQL =
  'select `user`.`username`, `todo`.`id`, `todo`.`contents`, `todo`.`is_done`, ' +
  '(select count(*) from `todo` where `todo`.`user_id` = ?), ' +
  '(select count(*) from `todo` where `todo`.`user_id` = ? and `todo`.`is_done`) ' +
  'from `user` left join `todo` on `todo`.`user_id` = `user`.`id` where `user`.`id` = ? order by `todo`.`id` asc limit ?'
