'use client'
import Link from 'next/link'
import { useHydrated } from '@/app/_components/use-hydrated'
import { itemsLeftLabel, type TodoChange, type TodoListPage } from '@/lib/todo-list'
import type { TodoFilter } from '@/lib/validation/todo'
import { clearCompletedAction } from '../actions'

const FILTERS: { filter: TodoFilter; label: string }[] = [
  { filter: 'all', label: 'All' },
  { filter: 'active', label: 'Active' },
  { filter: 'completed', label: 'Completed' },
]

function listHref(filter: TodoFilter, page = 1): string {
  const params = new URLSearchParams()
  if (filter !== 'all') params.set('filter', filter)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `/todos?${query}` : '/todos'
}

export function TodoFooter({ view, onChange }: { view: TodoListPage; onChange: (change: TodoChange) => void }) {
  const hydrated = useHydrated()
  const clear = async () => {
    onChange({ type: 'clear-completed' })
    await clearCompletedAction()
  }
  return (
    <>
      <footer className="todo-footer">
        <span className="todo-count" role="status">
          {itemsLeftLabel(view.activeCount)}
        </span>
        <nav aria-label="Filter todos">
          <ul className="filters">
            {FILTERS.map(({ filter, label }) => (
              <li key={filter}>
                <Link href={listHref(filter)} aria-current={view.filter === filter ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {view.completedCount > 0 ? (
          <form action={hydrated ? clear : clearCompletedAction} className="clear-completed-form">
            <button type="submit" className="button button-quiet">
              Clear completed
            </button>
          </form>
        ) : null}
      </footer>
      {view.pageCount > 1 ? (
        <nav className="pager" aria-label="Pages">
          {view.page > 1 ? (
            <Link href={listHref(view.filter, view.page - 1)} rel="prev">
              ← Previous
            </Link>
          ) : (
            <span aria-hidden="true" />
          )}
          <span>
            Page {view.page} of {view.pageCount}
          </span>
          {view.page < view.pageCount ? (
            <Link href={listHref(view.filter, view.page + 1)} rel="next">
              Next →
            </Link>
          ) : (
            <span aria-hidden="true" />
          )}
        </nav>
      ) : null}
    </>
  )
}
