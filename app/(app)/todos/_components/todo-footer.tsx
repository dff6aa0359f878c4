'use client'
import Link from 'next/link'
import { useTranslations } from 'next-intl'
import type { TodoListPage } from '@/lib/todo-list'
import type { TrashNotice } from '@/lib/trash-notice'
import { DUE_VIEWS, TODO_FILTERS, type TodoFilter } from '@/lib/validation/todo'
import { clearCompletedAction } from '../actions'
import { outboxSubmit, type Outbox } from './use-outbox'

function listHref(filter: TodoFilter, page = 1): string {
  const params = new URLSearchParams()
  if ((DUE_VIEWS as readonly TodoFilter[]).includes(filter)) params.set('view', filter)
  else if (filter !== 'all') params.set('filter', filter)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `/todos?${query}` : '/todos'
}

type Props = {
  view: TodoListPage
  /** The page the footer is on (path and query), where clearing without JavaScript comes back to. */
  returnTo: string
  enqueue: Outbox['enqueue']
  onTrashed: (notice: TrashNotice | null) => void
}

export function TodoFooter({ view, returnTo, enqueue, onTrashed }: Props) {
  const t = useTranslations('todos')
  const clear = () => enqueue({ type: 'clear-completed' }, { onResult: (result) => onTrashed(result.notice ?? null) })
  return (
    <>
      <footer className="todo-footer">
        <span className="todo-count" role="status">
          {view.filter === 'today'
            ? t('due.countToday', { count: view.matchingCount })
            : view.filter === 'upcoming'
              ? t('due.countUpcoming', { count: view.matchingCount })
              : t('itemsLeft', { count: view.activeCount })}
        </span>
        {/* The links are not prefetched: see AppHeader. */}
        <nav aria-label={t('filters.label')}>
          <ul className="filters">
            {TODO_FILTERS.map((filter) => (
              <li key={filter}>
                <Link href={listHref(filter)} prefetch={false} aria-current={view.filter === filter ? 'page' : undefined}>
                  {t(`filters.${filter}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {view.completedCount > 0 ? (
          <form action={clearCompletedAction} onSubmit={(event) => outboxSubmit(event, clear)} className="clear-completed-form">
            <input type="hidden" name="returnTo" value={returnTo} />
            <button type="submit" className="button button-quiet">
              {t('clearCompleted')}
            </button>
          </form>
        ) : null}
      </footer>
      {view.pageCount > 1 ? (
        <nav className="pager" aria-label={t('pager.label')}>
          {view.page > 1 ? (
            <Link href={listHref(view.filter, view.page - 1)} prefetch={false} rel="prev">
              {t('pager.previous')}
            </Link>
          ) : (
            <span aria-hidden="true" />
          )}
          <span>{t('pager.position', { page: view.page, count: view.pageCount })}</span>
          {view.page < view.pageCount ? (
            <Link href={listHref(view.filter, view.page + 1)} prefetch={false} rel="next">
              {t('pager.next')}
            </Link>
          ) : (
            <span aria-hidden="true" />
          )}
        </nav>
      ) : null}
    </>
  )
}
