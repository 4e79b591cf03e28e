/**
 * Calendar dates as `YYYY-MM-DD` strings and plain day arithmetic on them.
 *
 * Everything goes through `Date.UTC` / `getUTC*`, never a local-time constructor or getter,
 * so the result is the same whether the server runs in UTC, Asia/Shanghai or anywhere else.
 */

/** A Gregorian calendar date, `YYYY-MM-DD`. */
export type CalendarDate = string

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000
// Beijing has kept UTC+8 with no daylight saving since 1991, so a fixed offset is exact here.
const BEIJING_OFFSET_MS = 8 * 3_600_000
// An explicit offset is required: without one, Date.parse would fall back to the server's zone.
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/** True for a well-formed, existing date (rejects `2026-02-30`). */
export const isCalendarDate = (value: string): boolean => {
  const m = DATE_RE.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  // ISO parsing keeps years 0–99 as written (Date.UTC would map them to 19xx) but rolls
  // `02-30` into March, hence the round trip.
  const t = new Date(Date.parse(`${value}T00:00:00Z`))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

const assertDate = (value: string): void => {
  if (!isCalendarDate(value)) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(value)}`)
}

/** Days since 1970-01-01: an integer that makes "next day" and "compare" trivial. */
export const toDayNumber = (date: CalendarDate): number => {
  assertDate(date)
  return Math.round(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY)
}

export const fromDayNumber = (day: number): CalendarDate =>
  new Date(day * MS_PER_DAY).toISOString().slice(0, 10)

export const addDays = (date: CalendarDate, days: number): CalendarDate =>
  fromDayNumber(toDayNumber(date) + days)

/** 0 = Sunday … 6 = Saturday (1970-01-01, day 0, was a Thursday). */
export const dayOfWeekNumber = (day: number): number => (((day + 4) % 7) + 7) % 7

export const isWeekendDay = (day: number): boolean => {
  const dow = dayOfWeekNumber(day)
  return dow === 0 || dow === 6
}

/** The Beijing (UTC+8) calendar date of an instant. */
export const beijingDateOfInstant = (instant: Date): CalendarDate => {
  const ms = instant.getTime()
  if (Number.isNaN(ms)) throw new RangeError('invalid Date')
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10)
}

/** The Beijing calendar date of an ISO 8601 timestamp that carries its offset (`Z` or `±hh:mm`). */
export const beijingDateOf = (timestamp: string): CalendarDate => {
  // V8 rolls `02-30` over into March instead of failing, so the date part is checked first.
  if (!TIMESTAMP_RE.test(timestamp) || !isCalendarDate(timestamp.slice(0, 10))) {
    throw new RangeError(`not an ISO timestamp with offset: ${JSON.stringify(timestamp)}`)
  }
  const ms = Date.parse(timestamp)
  if (Number.isNaN(ms)) throw new RangeError(`not a valid timestamp: ${JSON.stringify(timestamp)}`)
  return beijingDateOfInstant(new Date(ms))
}
