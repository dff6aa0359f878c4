import { samePagePath } from './safe-redirect'

// The undo notice after a delete. With JavaScript the action's answer carries it; without, the
// action redirects back to the page the form was on with `?deleted=<ids>`, and the page asks the
// data layer which of those ids are in the viewer's trash (so the URL can name nothing else, and
// a stale or forged link shows no notice). The ids ride in the URL rather than a flash cookie: no
// state on the server, the filter, view and page the visitor was on are kept as they were, and a
// reload shows the same page.

/** The query parameter that names the todos just moved to the trash. */
export const DELETED_PARAM = 'deleted'
/** At most this many ids ride in the URL (a clear-completed of more can be undone on /trash). */
export const MAX_NOTICE_IDS = 200

/** What the notice says and undoes: one todo by its text, or several by their number. */
export type TrashNotice = { ids: number[]; contents: string | null; count: number }

/** The ids of `?deleted=1,2,3`: positive integers, at most MAX_NOTICE_IDS; anything else gives []. */
export function parseDeletedIds(value: unknown): number[] {
  if (typeof value !== 'string' || value.length > MAX_NOTICE_IDS * 11) return []
  const ids = value.split(',').map((part) => (/^[1-9]\d{0,9}$/.test(part) ? Number(part) : NaN))
  if (ids.some((id) => !Number.isSafeInteger(id) || id > 2_147_483_647)) return []
  return [...new Set(ids)].slice(0, MAX_NOTICE_IDS)
}

/** `path` (a same-origin page, else /todos) with `?deleted=` naming `ids`; without it when there are none. */
export function withDeletedIds(path: unknown, ids: readonly number[]): string {
  const url = new URL(samePagePath(path, '/todos'), 'http://localhost')
  url.searchParams.delete(DELETED_PARAM)
  if (ids.length > 0) url.searchParams.set(DELETED_PARAM, ids.slice(0, MAX_NOTICE_IDS).join(','))
  return url.pathname + url.search
}

/** `path` without the notice: where Undo, or the notice's end, comes back to. */
export function withoutDeletedIds(path: unknown): string {
  return withDeletedIds(path, [])
}
