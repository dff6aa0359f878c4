'use server'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { TodoIdSchema } from '@/lib/validation/todo'
import { requireUser } from '@/server/auth/session'
import { emptyTrash, purgeTrashedTodo, restoreTodo } from '@/server/todos'

// The Trash page's buttons: plain form posts that come back to /trash (dropping a confirmation
// step from the address). Ownership lives in the data layer's WHERE: another user's id, or a live
// todo's, does nothing.

function done(): never {
  revalidatePath('/trash')
  revalidatePath('/todos')
  redirect('/trash')
}

/** Puts a trashed todo back in the list, in its place. */
export async function restoreFromTrashAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const id = TodoIdSchema.safeParse(form.get('id'))
  if (id.success) await restoreTodo(viewer, id.data)
  done()
}

/** Deletes one trashed todo for good (the second step of "Delete forever"). */
export async function purgeTodoAction(form: FormData): Promise<void> {
  const viewer = await requireUser()
  const id = TodoIdSchema.safeParse(form.get('id'))
  if (id.success) await purgeTrashedTodo(viewer, id.data)
  done()
}

/** Deletes everything in the trash for good (the second step of "Empty trash"). */
export async function emptyTrashAction(): Promise<void> {
  const viewer = await requireUser()
  await emptyTrash(viewer)
  done()
}
