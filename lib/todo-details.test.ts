import { createFormatter } from 'next-intl'
import { describe, expect, it } from 'vitest'
import en from '@/messages/en.json'
import ko from '@/messages/ko.json'
import {
  buildRepeatRule,
  dayOffset,
  formatDue,
  fromLocalFields,
  parseDetails,
  parseRepeatRule,
  reminderChoiceOf,
  toLocalFields,
  weekdayOf,
  type DetailsFields,
} from './todo-details'

const MESSAGES = { en, ko }

/** The compact label as the page builds it, in `locale`. */
function label(locale: 'en' | 'ko', due: string, now: string, timeZone: string): string {
  const format = createFormatter({ locale, timeZone })
  const words = MESSAGES[locale].todos.due
  return formatDue(new Date(due), new Date(now), timeZone, format, {
    today: (time) => words.today.replace('{time}', time),
    tomorrow: () => words.tomorrow,
    yesterday: () => words.yesterday,
  })
}

describe('formatDue', () => {
  const now = '2026-12-01T03:00:00Z' // Tuesday 1 December: 12:00 in Seoul, 03:00 in London

  it('says today with the time, tomorrow, yesterday, then the weekday and date', () => {
    expect(label('en', '2026-12-01T09:00:00Z', now, 'Asia/Seoul')).toBe('Today 18:00')
    expect(label('en', '2026-12-02T09:00:00Z', now, 'Asia/Seoul')).toBe('Tomorrow')
    expect(label('en', '2026-11-30T09:00:00Z', now, 'Asia/Seoul')).toBe('Yesterday')
    expect(label('en', '2026-12-07T09:00:00Z', now, 'Asia/Seoul')).toBe('Mon, Dec 7')
  })

  it('speaks Korean', () => {
    expect(label('ko', '2026-12-01T09:00:00Z', now, 'Asia/Seoul')).toBe('오늘 18:00')
    expect(label('ko', '2026-12-02T09:00:00Z', now, 'Asia/Seoul')).toBe('내일')
    expect(label('ko', '2026-11-30T09:00:00Z', now, 'Asia/Seoul')).toBe('어제')
    expect(label('ko', '2026-12-07T09:00:00Z', now, 'Asia/Seoul')).toBe('12월 7일 (월)')
  })

  it('judges the day in the viewer’s zone, not the server’s', () => {
    // 23:30 UTC on 1 December is already 2 December in Seoul, still 1 December in New York.
    const due = '2026-12-01T23:30:00Z'
    const afternoon = '2026-12-01T14:00:00Z' // 23:00 in Seoul, 09:00 in New York
    expect(label('en', due, afternoon, 'Asia/Seoul')).toBe('Tomorrow')
    expect(label('en', due, afternoon, 'America/New_York')).toBe('Today 18:30')
    expect(label('en', due, afternoon, 'UTC')).toBe('Today 23:30')
    expect(label('ko', due, afternoon, 'America/New_York')).toBe('오늘 18:30')
  })

  it('turns over at the viewer’s midnight', () => {
    const due = '2026-12-02T00:30:00+09:00' // just after midnight in Seoul
    expect(label('en', due, '2026-12-01T23:59:00+09:00', 'Asia/Seoul')).toBe('Tomorrow')
    expect(label('en', due, '2026-12-02T00:00:00+09:00', 'Asia/Seoul')).toBe('Today 00:30')
    expect(dayOffset(new Date(due), new Date('2026-12-02T23:59:59+09:00'), 'Asia/Seoul')).toBe(0)
    expect(dayOffset(new Date(due), new Date('2026-12-03T00:00:00+09:00'), 'Asia/Seoul')).toBe(-1)
  })

  it('adds the year when it is not this year', () => {
    expect(label('en', '2027-01-04T09:00:00Z', now, 'UTC')).toBe('Mon, Jan 4, 2027')
    expect(label('ko', '2027-01-04T09:00:00Z', now, 'UTC')).toBe('2027년 1월 4일 (월)')
  })
})

describe('local fields', () => {
  it('reads and writes wall-clock times in the zone, across daylight saving', () => {
    expect(fromLocalFields('2026-12-24', '18:00', 'Asia/Seoul')?.toISOString()).toBe('2026-12-24T09:00:00.000Z')
    expect(fromLocalFields('2026-07-01', '09:00', 'Europe/London')?.toISOString()).toBe('2026-07-01T08:00:00.000Z')
    expect(fromLocalFields('2026-12-01', '09:00', 'Europe/London')?.toISOString()).toBe('2026-12-01T09:00:00.000Z')
    expect(toLocalFields('2026-12-24T09:00:00.000Z', 'Asia/Seoul')).toEqual({ date: '2026-12-24', time: '18:00' })
    expect(toLocalFields(null, 'UTC')).toEqual({ date: '', time: '' })
  })

  it('refuses dates that do not exist', () => {
    expect(fromLocalFields('2026-02-31', '09:00', 'UTC')).toBeNull()
    expect(fromLocalFields('2026-13-01', '09:00', 'UTC')).toBeNull()
    expect(fromLocalFields('tomorrow', '09:00', 'UTC')).toBeNull()
    expect(fromLocalFields('2026-12-01', '25:00', 'UTC')).toBeNull()
  })
})

describe('repeat rules', () => {
  const base = { weekday: 'MO', interval: 2 } as const
  it('builds an RRULE from each of the editor’s choices', () => {
    expect(buildRepeatRule({ ...base, choice: 'none' })).toBeNull()
    expect(buildRepeatRule({ ...base, choice: 'daily' })).toBe('FREQ=DAILY')
    expect(buildRepeatRule({ ...base, choice: 'weekdays' })).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR')
    expect(buildRepeatRule({ ...base, choice: 'weekly', weekday: 'TH' })).toBe('FREQ=WEEKLY;BYDAY=TH')
    expect(buildRepeatRule({ ...base, choice: 'monthly' })).toBe('FREQ=MONTHLY')
    expect(buildRepeatRule({ ...base, choice: 'yearly' })).toBe('FREQ=YEARLY')
    expect(buildRepeatRule({ ...base, choice: 'interval', interval: 3 })).toBe('FREQ=DAILY;INTERVAL=3')
    expect(buildRepeatRule({ ...base, choice: 'interval', interval: 1 })).toBe('FREQ=DAILY')
  })

  it('reads every rule it builds back into the same choice', () => {
    for (const fields of [
      { ...base, choice: 'daily' },
      { ...base, choice: 'weekdays' },
      { ...base, choice: 'weekly', weekday: 'SU' },
      { ...base, choice: 'monthly' },
      { ...base, choice: 'yearly' },
      { ...base, choice: 'interval', interval: 10 },
    ] as const) {
      expect(parseRepeatRule(buildRepeatRule(fields))).toEqual(fields)
    }
    expect(parseRepeatRule(null)?.choice).toBe('none')
  })

  it('does not claim rules it cannot show', () => {
    expect(parseRepeatRule('FREQ=WEEKLY;BYDAY=MO;COUNT=3')).toBeNull()
    expect(parseRepeatRule('FREQ=MONTHLY;INTERVAL=2')).toBeNull()
    expect(parseRepeatRule('FREQ=WEEKLY;BYDAY=MO,WE')).toBeNull()
  })

  it('names the weekday of a date in the zone', () => {
    // Monday 09:00 in Seoul is still Sunday in UTC.
    expect(weekdayOf(new Date('2026-12-07T00:00:00Z'), 'Asia/Seoul')).toBe('MO')
    expect(weekdayOf(new Date('2026-12-06T23:00:00Z'), 'UTC')).toBe('SU')
  })
})

describe('reminder choices', () => {
  it('recognises the editor’s leads, else a date and time', () => {
    const due = '2026-12-01T09:00:00.000Z'
    expect(reminderChoiceOf(due, null)).toBe('none')
    expect(reminderChoiceOf(due, due)).toBe('due')
    expect(reminderChoiceOf(due, '2026-12-01T08:50:00.000Z')).toBe('10m')
    expect(reminderChoiceOf(due, '2026-12-01T08:00:00.000Z')).toBe('1h')
    expect(reminderChoiceOf(due, '2026-11-30T09:00:00.000Z')).toBe('1d')
    expect(reminderChoiceOf(due, '2026-11-30T07:00:00.000Z')).toBe('custom')
    expect(reminderChoiceOf(null, due)).toBe('custom')
  })
})

describe('parseDetails', () => {
  const empty: DetailsFields = {
    dueDate: '',
    dueTime: '',
    remind: 'none',
    remindDate: '',
    remindTime: '',
    repeat: 'none',
    repeatWeekday: 'MO',
    repeatInterval: '2',
  }

  it('turns “tomorrow 9:00 Seoul, 10 minutes before, every Monday” into UTC and an RRULE', () => {
    const parsed = parseDetails(
      { ...empty, dueDate: '2026-12-07', dueTime: '09:00', remind: '10m', repeat: 'weekly', repeatWeekday: 'MO' },
      'Asia/Seoul',
    )
    expect(parsed).toEqual({
      ok: true,
      patch: {
        dueAt: new Date('2026-12-07T00:00:00Z'),
        remindAt: new Date('2026-12-06T23:50:00Z'),
        repeat: 'FREQ=WEEKLY;BYDAY=MO',
      },
    })
  })

  it('clears everything when the fields are empty', () => {
    expect(parseDetails(empty, 'UTC')).toEqual({ ok: true, patch: { dueAt: null, remindAt: null, repeat: null } })
  })

  it('takes a date without a time as 09:00, and a reminder at a date and time of its own', () => {
    const parsed = parseDetails({ ...empty, dueDate: '2026-12-07', remind: 'custom', remindDate: '2026-12-05', remindTime: '20:15' }, 'UTC')
    expect(parsed.ok && parsed.patch.dueAt?.toISOString()).toBe('2026-12-07T09:00:00.000Z')
    expect(parsed.ok && parsed.patch.remindAt?.toISOString()).toBe('2026-12-05T20:15:00.000Z')
  })

  it('keeps a rule the editor cannot show', () => {
    const parsed = parseDetails({ ...empty, dueDate: '2026-12-07', repeat: 'keep' }, 'UTC')
    expect(parsed.ok && parsed.patch.repeat).toBeUndefined()
  })

  it('names the field at fault', () => {
    expect(parseDetails({ ...empty, dueTime: '09:00' }, 'UTC')).toEqual({ ok: false, errors: { dueDate: 'dateNeeded' } })
    expect(parseDetails({ ...empty, dueDate: '2026-02-30' }, 'UTC')).toEqual({ ok: false, errors: { dueDate: 'badDate' } })
    expect(parseDetails({ ...empty, remind: '1h', repeat: 'daily' }, 'UTC')).toEqual({
      ok: false,
      errors: { remind: 'needsDue', repeat: 'needsDue' },
    })
    expect(parseDetails({ ...empty, remind: 'custom' }, 'UTC')).toEqual({ ok: false, errors: { remindDate: 'dateNeeded' } })
    expect(parseDetails({ ...empty, dueDate: '2026-12-07', repeat: 'interval', repeatInterval: '0' }, 'UTC')).toEqual({
      ok: false,
      errors: { repeatInterval: 'badInterval' },
    })
  })
})
