import { describe, expect, it } from 'vitest'
import { canonicalTimeZone, fromFloating, nextOccurrence, normaliseRepeatRule, toFloating } from './repeat'

const at = (iso: string) => new Date(iso)
const iso = (d: Date | undefined) => d?.toISOString().replace('.000Z', 'Z')

describe('normaliseRepeatRule: the accepted RRULE subset', () => {
  it.each([
    ['FREQ=DAILY', 'FREQ=DAILY'],
    ['rrule:freq=weekly;byday=mo,we', 'FREQ=WEEKLY;BYDAY=MO,WE'],
    ['COUNT=3;FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3'],
    ['FREQ=MONTHLY;BYDAY=2TU', 'FREQ=MONTHLY;BYDAY=2TU'],
    ['FREQ=YEARLY;UNTIL=20301231', 'FREQ=YEARLY;UNTIL=20301231'],
    ['FREQ=DAILY;INTERVAL=3;UNTIL=20301231T090000Z', 'FREQ=DAILY;INTERVAL=3;UNTIL=20301231T090000Z'],
  ])('%s → %s', (input, output) => expect(normaliseRepeatRule(input)).toBe(output))

  it.each([
    '',
    'FREQ=HOURLY',
    'FREQ=SECONDLY',
    'INTERVAL=2',
    'FREQ=DAILY;FREQ=WEEKLY',
    'FREQ=DAILY;BYHOUR=9',
    'FREQ=DAILY;WKST=MO',
    'FREQ=DAILY;INTERVAL=0',
    'FREQ=DAILY;INTERVAL=-1',
    'FREQ=DAILY;INTERVAL=1.5',
    'FREQ=DAILY;COUNT=0',
    'FREQ=DAILY;COUNT=2;UNTIL=20301231',
    'FREQ=DAILY;UNTIL=20300230',
    'FREQ=DAILY;UNTIL=2030-12-31',
    'FREQ=WEEKLY;BYDAY=2MO',
    'FREQ=WEEKLY;BYDAY=XX',
    'FREQ=WEEKLY;BYMONTHDAY=1',
    'FREQ=MONTHLY;BYMONTHDAY=32',
    'FREQ=MONTHLY;BYMONTHDAY=0',
    'FREQ=DAILY;',
    'FREQ=DAILY;INTERVAL',
    'DTSTART:20261224T090000Z\nRRULE:FREQ=DAILY',
    `FREQ=DAILY;${'X'.repeat(300)}`,
  ])('refuses %j', (input) => expect(normaliseRepeatRule(input)).toBeNull())
})

describe('nextOccurrence', () => {
  it('moves a daily todo to the next day at the same local time', () => {
    const next = nextOccurrence('FREQ=DAILY', at('2026-12-24T00:00:00Z'), 'Asia/Seoul', at('2026-12-23T12:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-12-25T00:00:00Z')
    expect(next?.repeat).toBe('FREQ=DAILY')
  })

  it('skips what was missed: the next occurrence after now, not after the old due time', () => {
    // Due 09:00 Seoul on the 1st, completed on the 10th at 10:00 Seoul: next is the 11th, 09:00.
    const next = nextOccurrence('FREQ=DAILY', at('2026-12-01T00:00:00Z'), 'Asia/Seoul', at('2026-12-10T01:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-12-11T00:00:00Z')
    // Completed at 08:00 Seoul on the 10th: the 10th at 09:00 is still ahead.
    const early = nextOccurrence('FREQ=DAILY', at('2026-12-01T00:00:00Z'), 'Asia/Seoul', at('2026-12-09T23:00:00Z'))
    expect(iso(early?.dueAt)).toBe('2026-12-10T00:00:00Z')
  })

  it('completing early still moves past the old due time', () => {
    const next = nextOccurrence('FREQ=WEEKLY', at('2026-12-24T09:00:00Z'), 'UTC', at('2026-12-01T00:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-12-31T09:00:00Z')
  })

  it('keeps 09:00 New York across the spring-forward change', () => {
    // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT. 09:00 EST is 14:00Z, 09:00 EDT is 13:00Z.
    const next = nextOccurrence('FREQ=DAILY', at('2026-03-07T14:00:00Z'), 'America/New_York', at('2026-03-07T15:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-03-08T13:00:00Z')
    const after = nextOccurrence('FREQ=DAILY', next!.dueAt, 'America/New_York', at('2026-03-08T14:00:00Z'))
    expect(iso(after?.dueAt)).toBe('2026-03-09T13:00:00Z')
  })

  it('keeps 09:00 Berlin across the autumn change, weekly', () => {
    // 2026-10-25: CEST (UTC+2) → CET (UTC+1). 09:00 CEST is 07:00Z, 09:00 CET is 08:00Z.
    const next = nextOccurrence('FREQ=WEEKLY', at('2026-10-20T07:00:00Z'), 'Europe/Berlin', at('2026-10-20T08:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-10-27T08:00:00Z')
  })

  it('keeps the local time when a missed stretch spans a DST change', () => {
    const next = nextOccurrence('FREQ=DAILY', at('2026-03-01T14:00:00Z'), 'America/New_York', at('2026-03-20T12:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-03-20T13:00:00Z') // 09:00 EDT, still ahead of 08:00 EDT
  })

  it('a time skipped by spring-forward moves forward by the gap', () => {
    // 02:30 does not exist in New York on 2026-03-08: it becomes 03:30 EDT (07:30Z).
    const next = nextOccurrence('FREQ=DAILY', at('2026-03-07T07:30:00Z'), 'America/New_York', at('2026-03-07T08:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-03-08T07:30:00Z')
  })

  it('steps weekly BYDAY rules on the owner’s weekdays, not UTC’s', () => {
    // Monday 08:00 Seoul is Sunday 23:00Z: "every Monday" must stay on Seoul's Mondays.
    const monday = at('2026-12-06T23:00:00Z')
    const next = nextOccurrence('FREQ=WEEKLY;BYDAY=MO', monday, 'Asia/Seoul', at('2026-12-07T00:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-12-13T23:00:00Z')
    const weekdays = nextOccurrence('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', at('2026-12-11T00:00:00Z'), 'Asia/Seoul', at('2026-12-11T01:00:00Z'))
    expect(iso(weekdays?.dueAt)).toBe('2026-12-14T00:00:00Z') // Friday → Monday
  })

  it('monthly on the last day, and every N days', () => {
    expect(iso(nextOccurrence('FREQ=MONTHLY;BYMONTHDAY=-1', at('2027-01-31T09:00:00Z'), 'UTC', at('2027-01-31T10:00:00Z'))?.dueAt)).toBe(
      '2027-02-28T09:00:00Z',
    )
    expect(iso(nextOccurrence('FREQ=DAILY;INTERVAL=3', at('2026-12-01T09:00:00Z'), 'UTC', at('2026-12-05T00:00:00Z'))?.dueAt)).toBe(
      '2026-12-07T09:00:00Z',
    )
  })

  it('COUNT: each advance lowers it; the last occurrence has no next', () => {
    const first = nextOccurrence('FREQ=DAILY;COUNT=3', at('2026-12-01T09:00:00Z'), 'UTC', at('2026-12-01T10:00:00Z'))
    expect([iso(first?.dueAt), first?.repeat]).toEqual(['2026-12-02T09:00:00Z', 'FREQ=DAILY;COUNT=2'])
    const second = nextOccurrence(first!.repeat, first!.dueAt, 'UTC', at('2026-12-02T10:00:00Z'))
    expect([iso(second?.dueAt), second?.repeat]).toEqual(['2026-12-03T09:00:00Z', 'FREQ=DAILY;COUNT=1'])
    expect(nextOccurrence(second!.repeat, second!.dueAt, 'UTC', at('2026-12-03T10:00:00Z'))).toBeNull()
  })

  it('COUNT: skipped occurrences are used up too', () => {
    const next = nextOccurrence('FREQ=DAILY;COUNT=5', at('2026-12-01T09:00:00Z'), 'UTC', at('2026-12-03T10:00:00Z'))
    expect([iso(next?.dueAt), next?.repeat]).toEqual(['2026-12-04T09:00:00Z', 'FREQ=DAILY;COUNT=2'])
    expect(nextOccurrence('FREQ=DAILY;COUNT=3', at('2026-12-01T09:00:00Z'), 'UTC', at('2026-12-03T10:00:00Z'))).toBeNull()
  })

  it('UNTIL: an instant, or a whole day in the owner’s zone', () => {
    expect(nextOccurrence('FREQ=DAILY;UNTIL=20261202T090000Z', at('2026-12-01T09:00:00Z'), 'UTC', at('2026-12-01T10:00:00Z'))?.dueAt).toEqual(
      at('2026-12-02T09:00:00Z'),
    )
    expect(nextOccurrence('FREQ=DAILY;UNTIL=20261202T085959Z', at('2026-12-01T09:00:00Z'), 'UTC', at('2026-12-01T10:00:00Z'))).toBeNull()
    // 23:30 Seoul on the 2nd is within UNTIL=20261202 in Seoul, though it is the 2nd 14:30Z.
    const late = nextOccurrence('FREQ=DAILY;UNTIL=20261202', at('2026-12-01T14:30:00Z'), 'Asia/Seoul', at('2026-12-01T15:00:00Z'))
    expect(iso(late?.dueAt)).toBe('2026-12-02T14:30:00Z')
    expect(nextOccurrence('FREQ=DAILY;UNTIL=20261202', late!.dueAt, 'Asia/Seoul', at('2026-12-02T15:00:00Z'))).toBeNull()
  })

  it('a todo left for years advances in one step', () => {
    // 10:00 CET in January 2000; 10:00 CEST (08:00Z) in July 2026.
    const next = nextOccurrence('FREQ=DAILY', at('2000-01-01T09:00:00Z'), 'Europe/Berlin', at('2026-07-01T12:00:00Z'))
    expect(iso(next?.dueAt)).toBe('2026-07-02T08:00:00Z')
  })
})

describe('floating time', () => {
  it('round-trips every hour of a DST year in New York, but the skipped hour', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
      const instant = new Date(t)
      expect(fromFloating(toFloating(instant, 'America/New_York'), 'America/New_York').getTime()).toBeLessThanOrEqual(t)
    }
  })
})

describe('canonicalTimeZone', () => {
  it.each([
    ['Asia/Seoul', 'Asia/Seoul'],
    ['asia/seoul', 'Asia/Seoul'],
    ['UTC', 'UTC'],
    ['America/New_York', 'America/New_York'],
  ])('%s → %s', (zone, canonical) => expect(canonicalTimeZone(zone)).toBe(canonical))
  it.each(['', 'Mars/Olympus', '+09:00', 'Asia/Seoul '.repeat(10)])('refuses %j', (zone) =>
    expect(canonicalTimeZone(zone)).toBeNull(),
  )
})
