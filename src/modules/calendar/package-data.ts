/**
 * The official holiday arrangement (放假安排) shipped by `chinese-days`, read from its raw JSON
 * rather than through its helper functions: those parse dates with a local-time day.js clone,
 * and we want plain string lookups that cannot drift with the server's time zone.
 */
import { createRequire } from 'node:module'
import type { CalendarDate } from './calendar-date.js'

// Required, not imported with a JSON attribute: the bundle of `npm start` (scripts/build.mjs)
// keeps packages as imports and would drop the attribute.
const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysJson

/** The package's JSON: dates (YYYY-MM-DD) to "English name,中文名,days". */
interface ChineseDaysJson {
  holidays: Record<string, string>
  workdays: Record<string, string>
}

/** How the package marks a date that differs from the Monday–Friday rule. */
export interface PackageDay {
  kind: 'holiday' | 'workday'
  /** Chinese festival name, e.g. 春节. */
  name: string
}

// Values look like "Spring Festival,春节,4": English name, Chinese name, length of the break.
const chineseName = (value: string): string => value.split(',')[1] ?? value

const buildDays = (): ReadonlyMap<CalendarDate, PackageDay> => {
  const days = new Map<CalendarDate, PackageDay>()
  for (const [date, value] of Object.entries(data.holidays)) {
    days.set(date, { kind: 'holiday', name: chineseName(value) })
  }
  // 调休 workdays are Saturdays/Sundays, never holidays, so the order of the two loops is moot.
  for (const [date, value] of Object.entries(data.workdays)) {
    days.set(date, { kind: 'workday', name: chineseName(value) })
  }
  return days
}

export const PACKAGE_DAYS: ReadonlyMap<CalendarDate, PackageDay> = buildDays()

/**
 * Years for which the package has an arrangement. Every year since 2004 has had at least one
 * official holiday, so a year with no holiday entry is a year the package does not know yet.
 */
export const PACKAGE_YEARS: readonly number[] = [
  ...new Set(Object.keys(data.holidays).map((date) => Number(date.slice(0, 4)))),
].sort((a, b) => a - b)
