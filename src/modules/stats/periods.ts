/**
 * Month arithmetic on `YYYY-MM` strings, and which counters periods add up to a range of months.
 * Pure: the repository turns the answer into conditions.
 */

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return m === 12 ? `${year(y + 1)}-01` : `${year(y)}-${String(m + 1).padStart(2, '0')}`
}

const year = (n: number) => String(n).padStart(4, '0')

/** Inclusive ranges of periods: whole years (`YYYY`) and months (`YYYY-MM`). */
export interface PeriodRanges {
  years?: [string, string]
  months: [string, string][]
}

/**
 * The item rows that add up to the months from..to (inclusive, open ends = all): the whole years
 * inside the range as years, the months before and after them as months. 2025-03..2026-12 is
 * 2025-03…2025-12 by month plus 2026 as a year; no bounds at all is years only.
 */
export function periodRanges(from: string | undefined, to: string | undefined): PeriodRanges {
  const lo = from ?? '0000-01'
  const hi = to ?? '9999-12'
  const firstYear = lo.endsWith('-01') ? lo.slice(0, 4) : year(Number(lo.slice(0, 4)) + 1)
  const lastYear = hi.endsWith('-12') ? hi.slice(0, 4) : year(Number(hi.slice(0, 4)) - 1)
  if (firstYear > lastYear) return { months: [[lo, hi]] }
  const months: [string, string][] = []
  if (lo < `${firstYear}-01`) months.push([lo, `${year(Number(firstYear) - 1)}-12`])
  if (hi > `${lastYear}-12`) months.push([`${year(Number(lastYear) + 1)}-01`, hi])
  return { years: [firstYear, lastYear], months }
}
