import type { Metadata } from 'next'
import Link from 'next/link'
import { getFormatter, getTranslations } from 'next-intl/server'
import { TodoIdSchema } from '@/lib/validation/todo'
import { requireUser } from '@/server/auth/session'
import { env } from '@/server/env'
import { listTrash } from '@/server/todos'
import { emptyTrashAction, purgeTodoAction, restoreFromTrashAction } from './actions'

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('trash'))('title') }
}

/**
 * The viewer's trash, most recently deleted first. Restoring is one click; the two that cannot be
 * undone ("Delete forever", "Empty trash") take a second step: a link to `?confirm=<id|all>`, where
 * the same page asks in words and offers the real button and a way back. No script, no dialog.
 */
export default async function TrashPage({ searchParams }: PageProps<'/trash'>) {
  const viewer = await requireUser()
  const { confirm } = await searchParams
  const [items, t, format] = await Promise.all([listTrash(viewer), getTranslations('trash'), getFormatter()])
  const confirmAll = confirm === 'all' && items.length > 0
  const confirmId = TodoIdSchema.safeParse(confirm)
  const confirming = confirmId.success ? items.find((item) => item.id === confirmId.data) : undefined
  const days = env.TRASH_RETENTION_DAYS

  return (
    <section className="card trash-card" aria-labelledby="trash-heading">
      <div className="trash-heading-row">
        <h1 id="trash-heading" className="trash-heading">
          {t('heading')}
        </h1>
        <Link href="/todos" className="trash-back">
          {t('back')}
        </Link>
      </div>
      <p className="trash-intro">{t('intro', { days: Number.isInteger(days) ? days : Math.round(days * 10) / 10 })}</p>

      {items.length === 0 ? (
        <p className="todo-empty">{t('empty')}</p>
      ) : (
        <>
          <ul className="trash-list" aria-label={t('listLabel')}>
            {items.map((item) => (
              <li key={item.id} className="trash-item">
                <div className="trash-main">
                  <span className={`trash-text${item.isDone ? ' trash-text-done' : ''}`}>{item.contents}</span>
                  <span className="trash-when">
                    {t('deletedAt', {
                      when: format.dateTime(new Date(item.deletedAt), {
                        dateStyle: 'medium',
                        timeStyle: 'short',
                        // 24-hour, as every time in the app: this ICU writes Korean's day period as "AM".
                        hourCycle: 'h23',
                        timeZone: viewer.timeZone,
                      }),
                    })}
                  </span>
                </div>
                {confirming?.id === item.id ? (
                  <ConfirmStep
                    question={t('confirmOne', { contents: item.contents })}
                    action={purgeTodoAction}
                    id={item.id}
                    confirm={t('deleteForeverConfirm')}
                    cancel={t('cancel')}
                  />
                ) : (
                  <div className="trash-actions">
                    <form action={restoreFromTrashAction}>
                      <input type="hidden" name="id" value={item.id} />
                      <button type="submit" className="button button-quiet" aria-label={t('restoreOne', { contents: item.contents })}>
                        {t('restore')}
                      </button>
                    </form>
                    <Link
                      href={`/trash?confirm=${item.id}`}
                      className="button button-quiet trash-danger-link"
                      aria-label={t('deleteForeverOne', { contents: item.contents })}
                    >
                      {t('deleteForever')}
                    </Link>
                  </div>
                )}
              </li>
            ))}
          </ul>
          <footer className="trash-footer">
            <span className="todo-count">{t('count', { count: items.length })}</span>
            {confirmAll ? (
              <ConfirmStep
                question={t('confirmAll', { count: items.length })}
                action={emptyTrashAction}
                confirm={t('emptyConfirm')}
                cancel={t('cancel')}
              />
            ) : (
              <Link href="/trash?confirm=all" className="button button-quiet trash-danger-link">
                {t('emptyTrash')}
              </Link>
            )}
          </footer>
        </>
      )}
    </section>
  )
}

/** The second step of what cannot be undone: the question in words, the real button, and a way back. */
function ConfirmStep({
  question,
  action,
  id,
  confirm,
  cancel,
}: {
  question: string
  action: (form: FormData) => Promise<void>
  id?: number
  confirm: string
  cancel: string
}) {
  return (
    <div className="trash-confirm" role="group" aria-label={question}>
      <p className="trash-confirm-text">{question}</p>
      <div className="trash-actions">
        <form action={action}>
          {id === undefined ? null : <input type="hidden" name="id" value={id} />}
          <button type="submit" className="button button-danger">
            {confirm}
          </button>
        </form>
        <Link href="/trash" className="button button-quiet">
          {cancel}
        </Link>
      </div>
    </div>
  )
}
