import { TZDate } from '@date-fns/tz'
import { differenceInCalendarDays, format as formatDate } from 'date-fns'
import type { createFormatter } from 'next-intl'

// The pure pieces of a todo's details: the compact due label, the editor's choices, and turning
// what was typed (in the viewer's zone) into UTC instants and an RRULE. Used by the page's client
// components (the optimistic view) and by the server action, so both read a form alike.

/** What the page formats with: next-intl's `useFormatter()` / `getFormatter()` fit. */
export type DateFormatter = Pick<ReturnType<typeof createFormatter>, 'dateTime'>

/** The words of the compact label, from `todos.due`. */
export type DueWords = {
  today(time: string): string
  tomorrow(): string
  yesterday(): string
}

/** Calendar days from `now` to `date` as seen in `timeZone`: 0 today, 1 tomorrow, -1 yesterday. */
export function dayOffset(date: Date, now: Date, timeZone: string): number {
  return differenceInCalendarDays(new TZDate(date, timeZone), new TZDate(now, timeZone))
}

/** "18:00" in the viewer's zone and language. */
export function formatTime(date: Date, timeZone: string, format: DateFormatter): string {
  return format.dateTime(date, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })
}

/**
 * The compact due label: "Today 18:00", "Tomorrow", "Yesterday", else the weekday and date
 * ("Mon, Dec 3"; "12월 3일 (월)"), with the year when it is not this year's.
 */
export function formatDue(due: Date, now: Date, timeZone: string, format: DateFormatter, words: DueWords): string {
  const offset = dayOffset(due, now, timeZone)
  if (offset === 0) return words.today(formatTime(due, timeZone, format))
  if (offset === 1) return words.tomorrow()
  if (offset === -1) return words.yesterday()
  const sameYear = new TZDate(due, timeZone).getFullYear() === new TZDate(now, timeZone).getFullYear()
  return format.dateTime(due, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: sameYear ? undefined : 'numeric',
    timeZone,
  })
}

/** The due date and time in full, for the label's tooltip and the editor's summary. */
export function formatDueFull(due: Date, timeZone: string, format: DateFormatter): string {
  return format.dateTime(due, { dateStyle: 'full', timeStyle: 'short', hourCycle: 'h23', timeZone })
}

/** An instant as the values of `<input type="date">` and `<input type="time">` in `timeZone`. */
export function toLocalFields(iso: string | null, timeZone: string): { date: string; time: string } {
  if (!iso) return { date: '', time: '' }
  const zoned = new TZDate(new Date(iso), timeZone)
  return { date: formatDate(zoned, 'yyyy-MM-dd'), time: formatDate(zoned, 'HH:mm') }
}

const DATE_FIELD = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME_FIELD = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d(?:\.\d+)?)?$/

/** The instant a wall-clock date and time in `timeZone` name; null when either is malformed. */
export function fromLocalFields(date: string, time: string, timeZone: string): Date | null {
  const d = DATE_FIELD.exec(date)
  const t = TIME_FIELD.exec(time)
  if (!d || !t) return null
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])]
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  const zoned = new TZDate(year, month - 1, day, Number(t[1]), Number(t[2]), timeZone)
  // 31 February rolls over into March: refuse it rather than guess.
  if (zoned.getMonth() !== month - 1) return null
  return new Date(zoned.getTime())
}

/** When a todo with a date and no time is due: the hint under the time field says so. */
export const DEFAULT_DUE_TIME = '09:00'

export const REMINDER_CHOICES = ['none', 'due', '10m', '1h', '1d', 'custom'] as const
export type ReminderChoice = (typeof REMINDER_CHOICES)[number]
const REMINDER_LEAD_MINUTES = { due: 0, '10m': 10, '1h': 60, '1d': 1440 } as const

/** Which of the editor's reminder choices describes a saved reminder. */
export function reminderChoiceOf(dueAt: string | null, remindAt: string | null): ReminderChoice {
  if (!remindAt) return 'none'
  if (!dueAt) return 'custom'
  const lead = (Date.parse(dueAt) - Date.parse(remindAt)) / 60_000
  const found = Object.entries(REMINDER_LEAD_MINUTES).find(([, minutes]) => minutes === lead)
  return (found?.[0] as ReminderChoice | undefined) ?? 'custom'
}

export const REPEAT_CHOICES = ['none', 'daily', 'weekdays', 'weekly', 'monthly', 'yearly', 'interval'] as const
export type RepeatChoice = (typeof REPEAT_CHOICES)[number]
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export const MAX_REPEAT_INTERVAL = 365

/** The editor's repeat fields, as typed. */
export type RepeatFields = { choice: RepeatChoice; weekday: Weekday; interval: number }

/** The RRULE (RFC 5545, without the `RRULE:` prefix) for the editor's repeat choice; null for none. */
export function buildRepeatRule({ choice, weekday, interval }: RepeatFields): string | null {
  switch (choice) {
    case 'none':
      return null
    case 'daily':
      return 'FREQ=DAILY'
    case 'weekdays':
      return 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'
    case 'weekly':
      return `FREQ=WEEKLY;BYDAY=${weekday}`
    case 'monthly':
      return 'FREQ=MONTHLY'
    case 'yearly':
      return 'FREQ=YEARLY'
    case 'interval':
      return interval === 1 ? 'FREQ=DAILY' : `FREQ=DAILY;INTERVAL=${interval}`
  }
}

/**
 * The editor's fields for a saved rule, or null for a rule the editor cannot express (one set
 * through the API, with COUNT or UNTIL, say): the editor then keeps it unless another is chosen.
 */
export function parseRepeatRule(rule: string | null, fallbackWeekday: Weekday = 'MO'): RepeatFields | null {
  const base = { weekday: fallbackWeekday, interval: 2 }
  if (!rule) return { choice: 'none', ...base }
  const parts = new Map(
    rule
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((part) => part.split('=') as [string, string]),
  )
  const freq = parts.get('FREQ')
  const interval = parts.has('INTERVAL') ? Number(parts.get('INTERVAL')) : 1
  const byDay = parts.get('BYDAY')
  const known = [...parts.keys()].every((key) => ['FREQ', 'INTERVAL', 'BYDAY'].includes(key))
  if (!known || !Number.isInteger(interval) || interval < 1) return null
  if (freq === 'DAILY' && !byDay) return interval === 1 ? { choice: 'daily', ...base } : { ...base, choice: 'interval', interval }
  if (interval !== 1) return null
  if (freq === 'WEEKLY' && byDay === 'MO,TU,WE,TH,FR') return { choice: 'weekdays', ...base }
  if (freq === 'WEEKLY' && WEEKDAYS.includes(byDay as Weekday)) return { ...base, choice: 'weekly', weekday: byDay as Weekday }
  if (freq === 'MONTHLY' && !byDay) return { choice: 'monthly', ...base }
  if (freq === 'YEARLY' && !byDay) return { choice: 'yearly', ...base }
  return null
}

/** The RRULE weekday of an instant in `timeZone`: the weekly choice's default. */
export function weekdayOf(date: Date, timeZone: string): Weekday {
  const day = new TZDate(date, timeZone).getDay() // 0 is Sunday
  return WEEKDAYS[(day + 6) % 7] ?? 'MO'
}

/** A date that falls on `weekday` (the first week of 2024 began on a Monday), to name it with Intl. */
export function sampleDateOf(weekday: Weekday): Date {
  return new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(weekday), 12))
}

/** The details form's fields, as posted. */
export type DetailsFields = {
  dueDate: string
  dueTime: string
  remind: string
  remindDate: string
  remindTime: string
  repeat: string
  repeatWeekday: string
  repeatInterval: string
}
export type DetailsField = keyof DetailsFields
export const DETAILS_FIELDS: readonly DetailsField[] = [
  'dueDate',
  'dueTime',
  'remind',
  'remindDate',
  'remindTime',
  'repeat',
  'repeatWeekday',
  'repeatInterval',
]

/** What the form asks for: null clears, undefined leaves as it is (a rule the editor cannot show). */
export type DetailsPatch = { dueAt: Date | null; remindAt: Date | null; repeat: string | null | undefined }

/** Keys under `todos.details.errors`. */
export type DetailsError = 'badDate' | 'badTime' | 'dateNeeded' | 'needsDue' | 'badInterval'

export type ParsedDetails =
  | { ok: true; patch: DetailsPatch }
  | { ok: false; errors: Partial<Record<DetailsField, DetailsError>> }

/**
 * Reads the details form: the due date and time in `timeZone` (a date without a time is due at
 * DEFAULT_DUE_TIME), the reminder relative to it or at a date and time of its own, and the repeat
 * rule. The shared schemas judge the result after this (a reminder in the past, say).
 */
export function parseDetails(fields: DetailsFields, timeZone: string): ParsedDetails {
  const errors: Partial<Record<DetailsField, DetailsError>> = {}
  let dueAt: Date | null = null
  const dueDate = fields.dueDate.trim()
  const dueTime = fields.dueTime.trim()
  if (dueDate === '' && dueTime !== '') errors.dueDate = 'dateNeeded'
  else if (dueDate !== '') {
    if (!DATE_FIELD.test(dueDate)) errors.dueDate = 'badDate'
    else if (dueTime !== '' && !TIME_FIELD.test(dueTime)) errors.dueTime = 'badTime'
    else {
      dueAt = fromLocalFields(dueDate, dueTime || DEFAULT_DUE_TIME, timeZone)
      if (!dueAt) errors.dueDate = 'badDate'
    }
  }

  let remindAt: Date | null = null
  const remind = (REMINDER_CHOICES as readonly string[]).includes(fields.remind) ? (fields.remind as ReminderChoice) : 'none'
  if (remind === 'custom') {
    const date = fields.remindDate.trim()
    const time = fields.remindTime.trim()
    if (date === '') errors.remindDate = 'dateNeeded'
    else if (!DATE_FIELD.test(date)) errors.remindDate = 'badDate'
    else if (time !== '' && !TIME_FIELD.test(time)) errors.remindTime = 'badTime'
    else {
      remindAt = fromLocalFields(date, time || DEFAULT_DUE_TIME, timeZone)
      if (!remindAt) errors.remindDate = 'badDate'
    }
  } else if (remind !== 'none') {
    if (dueDate === '') errors.remind = 'needsDue'
    else if (dueAt) remindAt = new Date(dueAt.getTime() - REMINDER_LEAD_MINUTES[remind] * 60_000)
  }

  let repeat: string | null | undefined = null
  if (fields.repeat === 'keep') repeat = undefined
  else {
    const choice = (REPEAT_CHOICES as readonly string[]).includes(fields.repeat) ? (fields.repeat as RepeatChoice) : 'none'
    const weekday = (WEEKDAYS as readonly string[]).includes(fields.repeatWeekday) ? (fields.repeatWeekday as Weekday) : 'MO'
    const interval = Number(fields.repeatInterval || '2')
    if (choice === 'interval' && (!Number.isInteger(interval) || interval < 1 || interval > MAX_REPEAT_INTERVAL)) {
      errors.repeatInterval = 'badInterval'
    }
    if (choice !== 'none' && dueDate === '') errors.repeat = 'needsDue'
    repeat = buildRepeatRule({ choice, weekday, interval })
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, patch: { dueAt, remindAt, repeat } }
}

/** The search parameter that opens one todo's details editor on a page rendered without JavaScript. */
export const DETAILS_PARAM = 'details'

/** The id of a todo's details editor, the fragment its link scrolls to. */
export function detailsEditorId(id: number): string {
  return `todo-${id}-details`
}

/** The page at `pathname` with `search`, and with the details editor of todo `id` open. */
export function detailsOpenHref(pathname: string, search: URLSearchParams, id: number): string {
  const query = new URLSearchParams(search)
  query.set(DETAILS_PARAM, String(id))
  return `${pathname}?${query}#${detailsEditorId(id)}`
}
