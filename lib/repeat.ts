import { TZDate } from '@date-fns/tz'
import * as rruleModule from 'rrule'

// Node (tsx, the worker) loads rrule's UMD build, whose named exports it cannot see; bundlers and
// Vitest load its ES module. Either way this is the package's namespace.
const { RRule, Weekday } = ((rruleModule as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule
type RRuleOptions = ConstructorParameters<typeof RRule>[0]

// Repeat rules: the RFC 5545 RRULE subset the app accepts, and the next occurrence of a rule.
//
// The rule is anchored at the todo's due_at (its DTSTART, never stored in the rule), and stepped
// in the owner's wall-clock time: due_at is turned into the owner's local date and time, rrule
// computes in that "floating" time (as if it were UTC, so no zone and no DST can move it), and the
// result is turned back into an instant in the owner's zone. "Every day at 09:00" stays 09:00 local
// across DST changes. rrule's own `tzid` support is not used (it depends on the host's zone).
//
// COUNT: the stored rule's COUNT is how many occurrences are left, the current due_at included.
// Each advance rewrites it (COUNT=3 → completed → COUNT=2 on the next due_at, skipped occurrences
// subtracted too); completing the last one (COUNT=1) has no next occurrence, so the todo is done.
// UNTIL is an instant (…Z) or a date (that whole day, in the owner's zone) and stays as written.

export const REPEAT_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const
export type RepeatFrequency = (typeof REPEAT_FREQUENCIES)[number]
const PARTS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL'] as const
type Part = (typeof PARTS)[number]
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const

export const REPEAT_MAX_LENGTH = 255
export const REPEAT_MAX_INTERVAL = 1000
export const REPEAT_MAX_COUNT = 10_000

export type RepeatRule = {
  freq: RepeatFrequency
  interval?: number
  byDay?: { day: (typeof DAYS)[number]; nth?: number }[]
  byMonthDay?: number[]
  count?: number
  /** As written: `YYYYMMDD` or `YYYYMMDDTHHMMSSZ`. */
  until?: string
}

const INTEGER = /^[+-]?\d{1,5}$/
const BYDAY_ITEM = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/
const UNTIL_FORMAT = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/

/** Parses a rule of the subset (an optional `RRULE:` prefix, any case), or null when it is outside it. */
export function parseRepeatRule(text: string): RepeatRule | null {
  if (text.length > REPEAT_MAX_LENGTH) return null
  const body = text.trim().toUpperCase().replace(/^RRULE:/, '')
  const seen = new Map<Part, string>()
  for (const item of body.split(';')) {
    const [name, value, ...rest] = item.split('=')
    if (!name || value === undefined || value === '' || rest.length > 0) return null
    if (!(PARTS as readonly string[]).includes(name) || seen.has(name as Part)) return null
    seen.set(name as Part, value)
  }
  const freq = seen.get('FREQ')
  if (!freq || !(REPEAT_FREQUENCIES as readonly string[]).includes(freq)) return null
  const rule: RepeatRule = { freq: freq as RepeatFrequency }

  const interval = seen.get('INTERVAL')
  if (interval !== undefined) {
    const n = positiveInteger(interval, REPEAT_MAX_INTERVAL)
    if (n === null) return null
    rule.interval = n
  }
  const byDay = seen.get('BYDAY')
  if (byDay !== undefined) {
    rule.byDay = []
    for (const item of byDay.split(',')) {
      const match = BYDAY_ITEM.exec(item)
      if (!match) return null
      const day = match[2] as (typeof DAYS)[number]
      if (match[1] === undefined) {
        rule.byDay.push({ day })
        continue
      }
      // "The 2nd Tuesday" only means something within a month or a year (RFC 5545 3.3.10).
      const nth = Number(match[1])
      if (nth === 0 || Math.abs(nth) > (rule.freq === 'YEARLY' ? 53 : 5)) return null
      if (rule.freq !== 'MONTHLY' && rule.freq !== 'YEARLY') return null
      rule.byDay.push({ day, nth })
    }
  }
  const byMonthDay = seen.get('BYMONTHDAY')
  if (byMonthDay !== undefined) {
    rule.byMonthDay = []
    for (const item of byMonthDay.split(',')) {
      if (!INTEGER.test(item)) return null
      const n = Number(item)
      if (n === 0 || Math.abs(n) > 31) return null
      rule.byMonthDay.push(n)
    }
    // A day of the month does not narrow a weekly rule in RFC 5545.
    if (rule.freq === 'WEEKLY') return null
  }
  const count = seen.get('COUNT')
  const until = seen.get('UNTIL')
  if (count !== undefined && until !== undefined) return null // RFC 5545: never both
  if (count !== undefined) {
    const n = positiveInteger(count, REPEAT_MAX_COUNT)
    if (n === null) return null
    rule.count = n
  }
  if (until !== undefined) {
    if (!untilFloatingOrInstant(until)) return null
    rule.until = until
  }
  return rule
}

function positiveInteger(text: string, max: number): number | null {
  if (!/^\d{1,6}$/.test(text)) return null
  const n = Number(text)
  return n >= 1 && n <= max ? n : null
}

/** The rule as stored and answered: upper case, no prefix, parts in a fixed order. */
export function formatRepeatRule(rule: RepeatRule): string {
  const parts = [`FREQ=${rule.freq}`]
  if (rule.interval !== undefined) parts.push(`INTERVAL=${rule.interval}`)
  if (rule.byDay) parts.push(`BYDAY=${rule.byDay.map((d) => `${d.nth ?? ''}${d.day}`).join(',')}`)
  if (rule.byMonthDay) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`)
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`)
  if (rule.until !== undefined) parts.push(`UNTIL=${rule.until}`)
  return parts.join(';')
}

/** The normalised rule, or null when `text` is outside the subset. */
export function normaliseRepeatRule(text: string): string | null {
  const rule = parseRepeatRule(text)
  return rule ? formatRepeatRule(rule) : null
}

type Until = { kind: 'instant'; at: Date } | { kind: 'date'; year: number; month: number; day: number }

function untilFloatingOrInstant(text: string): Until | null {
  const m = UNTIL_FORMAT.exec(text)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null
  if (m[4] === undefined) return { kind: 'date', year, month, day }
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])]
  if (h > 23 || mi > 59 || s > 59) return null
  return { kind: 'instant', at: new Date(Date.UTC(year, month - 1, day, h, mi, s)) }
}

/** The wall-clock time of `instant` in `timeZone`, as a Date whose UTC fields hold it. */
export function toFloating(instant: Date, timeZone: string): Date {
  const local = new TZDate(instant.getTime(), timeZone)
  return new Date(
    Date.UTC(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes(), local.getSeconds()),
  )
}

/**
 * The instant at which the wall clock in `timeZone` shows `floating`'s UTC fields. A time that
 * does not exist (skipped by a DST change) moves forward by the gap; one that exists twice is the
 * earlier.
 */
export function fromFloating(floating: Date, timeZone: string): Date {
  const local = new TZDate(
    floating.getUTCFullYear(),
    floating.getUTCMonth(),
    floating.getUTCDate(),
    floating.getUTCHours(),
    floating.getUTCMinutes(),
    floating.getUTCSeconds(),
    timeZone,
  )
  return new Date(local.getTime())
}

const DAY_MS = 24 * 60 * 60 * 1000

function rruleFor(rule: RepeatRule, dtstart: Date, timeZone: string): InstanceType<typeof RRule> {
  const options: Partial<RRuleOptions> = {
    freq: RRule[rule.freq],
    dtstart,
    interval: rule.interval ?? 1,
  }
  if (rule.byDay) options.byweekday = rule.byDay.map((d) => new Weekday(DAYS.indexOf(d.day), d.nth))
  if (rule.byMonthDay) options.bymonthday = rule.byMonthDay
  if (rule.until) {
    const until = untilFloatingOrInstant(rule.until)
    if (until?.kind === 'instant') options.until = toFloating(until.at, timeZone)
    else if (until) options.until = new Date(Date.UTC(until.year, until.month - 1, until.day, 23, 59, 59))
  }
  return new RRule(options)
}

export type Advance = { dueAt: Date; repeat: string }

/**
 * The occurrence that follows completing a todo due at `dueAt`: the rule's first occurrence after
 * both `dueAt` and `now` (occurrences missed in between are skipped, not piled up), computed in
 * `timeZone`, with the rule to store next (its COUNT lowered by what was used). Null when the rule
 * has no such occurrence (COUNT used up, or past UNTIL): the todo is then done.
 */
export function nextOccurrence(repeat: string, dueAt: Date, timeZone: string, now: Date = new Date()): Advance | null {
  const rule = parseRepeatRule(repeat)
  if (!rule) return null
  const start = toFloating(dueAt, timeZone)
  const recurrence = rruleFor(rule, start, timeZone)
  const threshold = Math.max(dueAt.getTime(), now.getTime())
  // Start looking a little before the threshold's wall-clock time (an offset change moves it by
  // hours at most), not at due_at: a todo left for years is not walked day by day.
  const near = new Date(Math.max(start.getTime(), toFloating(new Date(threshold), timeZone).getTime() - 2 * DAY_MS))
  let candidate = recurrence.after(near, false)
  while (candidate && fromFloating(candidate, timeZone).getTime() <= threshold) {
    candidate = recurrence.after(candidate, false)
  }
  if (!candidate) return null
  if (rule.count !== undefined) {
    // The current due_at is one occurrence; every occurrence strictly between it and the next is used up too.
    const used = 1 + recurrence.between(start, candidate, false).length
    const left = rule.count - used
    if (left < 1) return null
    return { dueAt: fromFloating(candidate, timeZone), repeat: formatRepeatRule({ ...rule, count: left }) }
  }
  return { dueAt: fromFloating(candidate, timeZone), repeat: formatRepeatRule(rule) }
}

/**
 * The canonical IANA name of `zone` (`asia/seoul` → `Asia/Seoul`, `UTC`) when this runtime knows
 * it, else null. Offsets (`+09:00`), which Intl also takes, are not zones: they have no DST rules.
 */
export function canonicalTimeZone(zone: string): string | null {
  if (zone.length === 0 || zone.length > 64 || !/^[A-Za-z]/.test(zone)) return null
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone
  } catch {
    return null
  }
}
