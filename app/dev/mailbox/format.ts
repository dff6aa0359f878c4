import type { getFormatter } from 'next-intl/server'

type Formatter = Awaited<ReturnType<typeof getFormatter>>

/**
 * The server's own time zone, not the request's (UTC until users have zones): this page is for the
 * developer's own machine, where the server's clock is theirs.
 */
const SERVER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone

/**
 * "Nov 25, 2026, 16:19:07" / "2026. 11. 25. 16:19:07": the request's language, the server's time
 * zone, and a 24-hour clock, as a log reads (and as this page showed before it had languages).
 */
export function formatTime(format: Formatter, iso: string): string {
  return format.dateTime(new Date(iso), {
    dateStyle: 'medium',
    timeStyle: 'medium',
    hourCycle: 'h23',
    timeZone: SERVER_TIME_ZONE,
  })
}
