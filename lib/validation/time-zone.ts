import { z } from 'zod'

// stand-in until D lands: D's schema decides the message keys (validation.timeZone*).
function isTimeZone(zone: string): boolean {
  if (zone === 'UTC') return true
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(zone)) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** An IANA time zone name (`Asia/Seoul`, `UTC`). */
export const TimeZoneSchema = z.string().max(64).refine(isTimeZone, { error: 'validation.invalid' }) // stand-in until D lands
