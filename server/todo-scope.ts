import 'server-only'
import { isNull } from 'drizzle-orm'
import { todo } from '@/db/schema'

/**
 * The one rule of the trash, said once: a todo is live while it has no deleted_at. Every query of
 * the list, the counts, the views, the API and the reminder and summary sweeps ANDs it in, so a
 * trashed todo is seen only by the trash functions in server/todos.ts.
 */
export const live = () => isNull(todo.deletedAt)
