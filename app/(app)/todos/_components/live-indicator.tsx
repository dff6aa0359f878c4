'use client'
import { useTranslations } from 'next-intl'
import type { LiveStatus } from './use-live-updates'

/**
 * Says, quietly, when changes made elsewhere will not show at once: offline, or the server cannot
 * pass them on (the page then catches up every 30 seconds). Nothing while live.
 */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  const t = useTranslations('todos.live')
  const shown = status === 'offline' || status === 'degraded'
  return (
    <span className="live-status" role="status" data-live={status}>
      {shown ? (
        <span className="live-status-badge" title={status === 'offline' ? t('offlineTitle') : t('degradedTitle')}>
          <span className="live-status-dot" aria-hidden="true" />
          {status === 'offline' ? t('offline') : t('degraded')}
        </span>
      ) : null}
    </span>
  )
}
