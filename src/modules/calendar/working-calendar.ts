/**
 * The Mainland China working-day calendar (工作日历) used for promised time limits (承诺时限).
 *
 * A date is a working day when, in order of precedence:
 *   1. an administrator override says so (`holiday` or `workday`): overrides let an administrator
 *      enter a newly published State Council arrangement before `chinese-days` is updated, or a
 *      local closure, so they win over the package;
 *   2. the package lists it as an official holiday (non-working) or a make-up working day
 *      (调休, e.g. a Saturday that is worked, which is a working day);
 *   3. otherwise Monday–Friday work and Saturday/Sunday do not.
 * Years the package does not cover fall through to rule 3; `coverage()` tells callers which.
 */
import {
  type CalendarDate,
  fromDayNumber,
  isCalendarDate,
  isWeekendDay,
  toDayNumber,
} from './calendar-date.js'
import { PACKAGE_DAYS, PACKAGE_YEARS } from './package-data.js'

export interface CalendarOverride {
  date: CalendarDate
  kind: 'holiday' | 'workday'
  name?: string
}

export interface DayInfo {
  date: CalendarDate
  working: boolean
  /** `workday` here is a 调休 make-up day, `weekday`/`weekend` the plain Monday–Friday rule. */
  reason: 'holiday' | 'workday' | 'weekday' | 'weekend'
  source: 'override' | 'package' | 'weekday-rule'
  name?: string
}

export interface CalendarCoverage {
  /** Every year the bundled `chinese-days` data has an official arrangement for, ascending. */
  packageYears: readonly number[]
  firstYear: number
  lastYear: number
  /** Years that have at least one administrator override, ascending. */
  overrideYears: readonly number[]
}

export interface WorkingCalendar {
  isWorkingDay(date: CalendarDate): boolean
  describeDay(date: CalendarDate): DayInfo
  /**
   * The n-th working day after `date`, `date` itself never counted (n ≥ 0, an integer).
   * A case accepted on D with a 5-working-day limit is due by the end of `addWorkingDays(D, 5)`.
   * `n = 0` returns `date` unchanged (an immediate item is due the day it is accepted).
   * Always `workingDaysBetween(date, addWorkingDays(date, n)) === n`.
   */
  addWorkingDays(date: CalendarDate, n: number): CalendarDate
  /**
   * Working days in the half-open range (from, to] when from ≤ to; when to < from, minus the
   * working days in (to, from]. So it is F(to) − F(from) with F a running count of working
   * days, which makes it additive: between(a, b) + between(b, c) === between(a, c).
   */
  workingDaysBetween(from: CalendarDate, to: CalendarDate): number
  coverage(): CalendarCoverage
}

// A bound far above any real promised limit, so a bad input fails fast instead of looping long.
const MAX_WORKING_DAYS = 10_000

interface SpecialDay {
  kind: 'holiday' | 'workday'
  source: 'override' | 'package'
  name?: string
}

const checkOverride = (o: CalendarOverride): void => {
  if (!isCalendarDate(o.date)) throw new RangeError(`override date is not YYYY-MM-DD: ${o.date}`)
  if (o.kind !== 'holiday' && o.kind !== 'workday') throw new RangeError(`override kind invalid: ${o.kind}`)
}

export const createWorkingCalendar = (overrides: ReadonlyArray<CalendarOverride> = []): WorkingCalendar => {
  // Keyed by day number so the day-by-day walks below need no string formatting.
  const special = new Map<number, SpecialDay>()
  for (const [date, day] of PACKAGE_DAYS) special.set(toDayNumber(date), { ...day, source: 'package' })
  const overrideYears = new Set<number>()
  // Later entries for the same date win, as the last word of an administrator would.
  for (const o of overrides) {
    checkOverride(o)
    special.set(toDayNumber(o.date), { kind: o.kind, source: 'override', name: o.name })
    overrideYears.add(Number(o.date.slice(0, 4)))
  }

  const isWorkingDayNumber = (day: number): boolean => {
    const s = special.get(day)
    return s ? s.kind === 'workday' : !isWeekendDay(day)
  }

  const countWorking = (fromExclusive: number, toInclusive: number): number => {
    let count = 0
    for (let day = fromExclusive + 1; day <= toInclusive; day++) if (isWorkingDayNumber(day)) count++
    return count
  }

  const coverage: CalendarCoverage = Object.freeze({
    packageYears: PACKAGE_YEARS,
    firstYear: PACKAGE_YEARS[0] ?? Number.NaN,
    lastYear: PACKAGE_YEARS[PACKAGE_YEARS.length - 1] ?? Number.NaN,
    overrideYears: Object.freeze([...overrideYears].sort((a, b) => a - b)),
  })

  return {
    isWorkingDay: (date) => isWorkingDayNumber(toDayNumber(date)),

    describeDay: (date) => {
      const day = toDayNumber(date)
      const s = special.get(day)
      if (s) {
        const info: DayInfo = { date, working: s.kind === 'workday', reason: s.kind, source: s.source }
        return s.name === undefined ? info : { ...info, name: s.name }
      }
      const weekend = isWeekendDay(day)
      return { date, working: !weekend, reason: weekend ? 'weekend' : 'weekday', source: 'weekday-rule' }
    },

    addWorkingDays: (date, n) => {
      if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
        throw new RangeError(`working days must be an integer in 0..${MAX_WORKING_DAYS}, got ${n}`)
      }
      let day = toDayNumber(date)
      for (let left = n; left > 0; ) {
        day++
        if (isWorkingDayNumber(day)) left--
      }
      return fromDayNumber(day)
    },

    workingDaysBetween: (from, to) => {
      const a = toDayNumber(from)
      const b = toDayNumber(to)
      return a <= b ? countWorking(a, b) : -countWorking(b, a)
    },

    coverage: () => coverage,
  }
}
