'use client'
import { useFormatter, useTranslations } from 'next-intl'
import type { TodoItem } from '@/lib/todo-list'
import { formatDue, formatDueFull, parseRepeatRule, sampleDateOf } from '@/lib/todo-details'

type Props = { item: TodoItem; now: Date; timeZone: string }

/** The due date (compact, in the viewer's zone), and icons for a reminder and a repeat. */
export function TodoMeta({ item, now, timeZone }: Props) {
  const t = useTranslations('todos.due')
  const format = useFormatter()
  if (!item.dueAt && !item.remindAt && !item.repeat) return null
  const due = item.dueAt ? new Date(item.dueAt) : null
  const overdue = due !== null && !item.isDone && due.getTime() < now.getTime()
  const reminder = item.remindAt ? t('reminder', { when: formatDueFull(new Date(item.remindAt), timeZone, format) }) : null
  const words = { today: (time: string) => t('today', { time }), tomorrow: () => t('tomorrow'), yesterday: () => t('yesterday') }

  return (
    <span className="todo-meta">
      {due && item.dueAt ? (
        <span className={`todo-due${overdue ? ' todo-due-overdue' : ''}`}>
          {/* Overdue is said in words as well as in the error colour. */}
          {overdue ? <span className="todo-due-flag">{t('overdue')}</span> : <span className="visually-hidden">{t('dueLabel')}</span>}
          <time dateTime={item.dueAt} title={formatDueFull(due, timeZone, format)}>
            {formatDue(due, now, timeZone, format, words)}
          </time>
        </span>
      ) : null}
      {reminder ? <span className="todo-meta-icon" data-icon="bell" role="img" aria-label={reminder} title={reminder} /> : null}
      {item.repeat ? <RepeatBadge rule={item.repeat} /> : null}
    </span>
  )
}

function RepeatBadge({ rule }: { rule: string }) {
  const name = useRepeatName(rule)
  return <span className="todo-meta-icon" data-icon="repeat" role="img" aria-label={name} title={name} />
}

/** "Repeats every Monday", "매주 월요일 반복". */
export function useRepeatName(rule: string): string {
  const t = useTranslations('todos.due')
  const format = useFormatter()
  const fields = parseRepeatRule(rule)
  switch (fields?.choice) {
    case 'daily':
    case 'weekdays':
    case 'monthly':
    case 'yearly':
      return t(`repeats.${fields.choice}`)
    case 'weekly':
      return t('repeats.weekly', { weekday: format.dateTime(sampleDateOf(fields.weekday), { weekday: 'long', timeZone: 'UTC' }) })
    case 'interval':
      return t('repeats.interval', { count: fields.interval })
    default:
      return t('repeats.other')
  }
}
