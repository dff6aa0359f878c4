import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { DETAILS_PARAM } from '@/lib/todo-details'
import { PageNumberSchema, TodoIdSchema, todoFilterOf } from '@/lib/validation/todo'
import { requireUser } from '@/server/auth/session'
import { parseDeletedIds, type TrashNotice } from '@/lib/trash-notice'
import { listTodosWithVersion, listTrash } from '@/server/todos'
import { ClientMessages } from '@/app/_components/client-messages'
import { TodoApp } from './_components/todo-app'

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('todos'))('title') }
}

export default async function TodosPage({ searchParams }: PageProps<'/todos'>) {
  const viewer = await requireUser()
  const params = await searchParams
  const [{ version, list }, trashed] = await Promise.all([
    listTodosWithVersion(viewer, { filter: todoFilterOf(params), page: PageNumberSchema.parse(params.page) }),
    // After a delete without JavaScript: the ids in ?deleted= that are in the viewer's trash.
    listTrash(viewer, parseDeletedIds(params.deleted)),
  ])
  if (!list) redirect('/login') // the account was deleted while this session lived
  return (
    // The list's own messages, and the two validation messages its fields check before sending.
    <ClientMessages namespaces={['todos', 'validation.invalid', 'validation.todo']}>
      <TodoApp
        userId={viewer.id}
        list={list}
        now={new Date().toISOString()}
        timeZone={viewer.timeZone}
        notice={noticeOf(trashed)}
        version={version}
        openDetails={TodoIdSchema.safeParse(params[DETAILS_PARAM]).data ?? null}
      />
    </ClientMessages>
  )
}

function noticeOf(trashed: { id: number; contents: string }[]): TrashNotice | null {
  if (trashed.length === 0) return null
  return { ids: trashed.map((item) => item.id), contents: trashed.length === 1 ? trashed[0]!.contents : null, count: trashed.length }
}
