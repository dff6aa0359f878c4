import 'server-only'
import { TZDate } from '@date-fns/tz'
import { addDays, format, startOfDay } from 'date-fns'
import { and, asc, count, eq, isNotNull, isNull, lt, ne, or } from 'drizzle-orm'
import { todo, user } from '@/db/schema'
import { DEFAULT_LOCALE, isLocale } from '@/lib/i18n/preferences'
import { db } from '../db'
import { live } from '../todo-scope'
import type { EmailQueue } from './email-queue'

/** How many todos the summary lists; it counts the rest. */
export const SUMMARY_MAX_ITEMS = 20

/** The local hour and date (YYYY-MM-DD) at `now` in `zone`, and when that local day ends (UTC). */
export function localDay(now: Date, zone: string): { hour: number; date: string; endsAt: Date } {
  const local = new TZDate(now.getTime(), zone)
  return {
    hour: local.getHours(),
    date: format(local, 'yyyy-MM-dd'),
    endsAt: new Date(startOfDay(addDays(local, 1)).getTime()),
  }
}

/**
 * One sweep of the morning summary (a job scheduler runs it every minute): for each zone that has
 * opted-in users, the users whose chosen hour is the zone's hour now and who have not had today's
 * summary. Each is claimed with one conditional UPDATE of summary_sent_on (today's local date), so
 * two sweeps never both send; then, if anything is due today or overdue, one email is queued under
 * the id user-date. A worker down for the whole hour sends no summary that day.
 */
export async function sweepSummaries(emailQueue: EmailQueue, now = new Date()): Promise<number> {
  const verified = and(isNotNull(user.summaryHour), isNotNull(user.email), isNotNull(user.emailVerifiedAt))
  const zones = await db.selectDistinct({ zone: user.timeZone }).from(user).where(verified)
  let queued = 0
  for (const { zone } of zones) {
    let day: ReturnType<typeof localDay>
    try {
      day = localDay(now, zone)
    } catch {
      continue // not a zone this runtime knows: D's validation keeps these out
    }
    if (Number.isNaN(day.hour)) continue
    const notYetToday = or(isNull(user.summarySentOn), ne(user.summarySentOn, day.date))
    const due = await db
      .select({ id: user.id, username: user.username, email: user.email, locale: user.locale })
      .from(user)
      .where(and(verified, eq(user.timeZone, zone), eq(user.summaryHour, day.hour), notYetToday))
      .limit(1_000)
    for (const account of due) {
      const [claim] = await db
        .update(user)
        .set({ summarySentOn: day.date })
        .where(and(eq(user.id, account.id), eq(user.summaryHour, day.hour), notYetToday))
      if (claim.affectedRows !== 1) continue
      const open = and(eq(todo.userId, account.id), live(), eq(todo.isDone, false), lt(todo.dueAt, day.endsAt))
      const [items, [total]] = await Promise.all([
        db.select({ contents: todo.contents, dueAt: todo.dueAt }).from(todo).where(open).orderBy(asc(todo.dueAt)).limit(SUMMARY_MAX_ITEMS),
        db.select({ n: count() }).from(todo).where(open),
      ])
      if (!total || total.n === 0) continue
      const startsAt = new Date(startOfDay(new TZDate(now.getTime(), zone)).getTime())
      await emailQueue.enqueue(
        {
          type: 'summary',
          to: account.email!,
          username: account.username,
          locale: isLocale(account.locale) ? account.locale : DEFAULT_LOCALE,
          items: items.map((item) => ({
            contents: item.contents,
            dueAt: item.dueAt!.toISOString(),
            overdue: item.dueAt! < startsAt,
          })),
          total: total.n,
          timeZone: zone,
        },
        `${account.id}-${day.date}`,
      )
      queued++
    }
  }
  return queued
}

