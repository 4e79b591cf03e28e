import { describe, expect, it } from 'vitest'
import { createWorkingCalendar } from '../../../src/modules/calendar/working-calendar.js'

const cal = createWorkingCalendar()

const workingAmong = (dates: string[]) => dates.filter((d) => cal.isWorkingDay(d))
const range = (from: string, days: number) =>
  Array.from({ length: days }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000)).map(
    (d) => d.toISOString().slice(0, 10),
  )

describe('official arrangements from chinese-days', () => {
  it('2025 Spring Festival: 01-28..02-04 off, 调休 Sunday 01-26 and Saturday 02-08 worked', () => {
    expect(workingAmong(range('2025-01-28', 8))).toEqual([])
    expect(cal.isWorkingDay('2025-01-26')).toBe(true)
    expect(cal.isWorkingDay('2025-02-08')).toBe(true)
    expect(cal.isWorkingDay('2025-01-25')).toBe(false)
    expect(cal.isWorkingDay('2025-01-27')).toBe(true)
    expect(cal.isWorkingDay('2025-02-05')).toBe(true)
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26')
    expect(cal.addWorkingDays('2025-01-27', 1)).toBe('2025-02-05')
  })

  it('2025 National Day: 10-01..08 off, 调休 Sunday 09-28 and Saturday 10-11 worked', () => {
    expect(workingAmong(range('2025-10-01', 8))).toEqual([])
    expect(cal.isWorkingDay('2025-09-28')).toBe(true)
    expect(cal.isWorkingDay('2025-10-11')).toBe(true)
    expect(cal.isWorkingDay('2025-10-09')).toBe(true)
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09')
    expect(cal.workingDaysBetween('2025-09-26', '2025-10-12')).toBe(6)
  })

  it('2026 Spring Festival: 02-15..02-23 off, 调休 Saturdays 02-14 and 02-28 worked', () => {
    expect(workingAmong(range('2026-02-15', 9))).toEqual([])
    expect(cal.isWorkingDay('2026-02-14')).toBe(true)
    expect(cal.isWorkingDay('2026-02-28')).toBe(true)
    expect(cal.isWorkingDay('2026-02-24')).toBe(true)
    expect(cal.describeDay('2026-02-14')).toEqual({
      date: '2026-02-14',
      working: true,
      reason: 'workday',
      source: 'package',
      name: '春节',
    })
  })

  it('2026 National Day: 10-01..10-07 off, 调休 Sunday 09-20 and Saturday 10-10 worked, 10-08 a workday', () => {
    expect(workingAmong(range('2026-10-01', 7))).toEqual([])
    expect(cal.isWorkingDay('2026-09-20')).toBe(true)
    expect(cal.isWorkingDay('2026-10-10')).toBe(true)
    expect(cal.isWorkingDay('2026-10-08')).toBe(true)
    // Mid-Autumn 2026 is its own break, Friday 09-25 to Sunday 09-27.
    expect(cal.isWorkingDay('2026-09-25')).toBe(false)
    expect(cal.describeDay('2026-10-01')).toMatchObject({ working: false, reason: 'holiday', name: '国庆节' })
  })

  it('plain weekends and weekdays follow the Monday–Friday rule', () => {
    expect(cal.describeDay('2026-03-07')).toEqual({
      date: '2026-03-07',
      working: false,
      reason: 'weekend',
      source: 'weekday-rule',
    })
    expect(cal.isWorkingDay('2026-03-09')).toBe(true)
  })

  it('reports the years the package covers', () => {
    const c = cal.coverage()
    expect(c.firstYear).toBe(2004)
    expect(c.lastYear).toBe(2026)
    expect(c.packageYears).toHaveLength(23)
    expect(c.overrideYears).toEqual([])
  })
})

describe('addWorkingDays and workingDaysBetween', () => {
  it('counts the n-th working day after the date, the date itself excluded', () => {
    // Thursday before the 2026 Spring Festival, 10 working days.
    expect(cal.addWorkingDays('2026-02-12', 10)).toBe('2026-03-04')
    expect(cal.addWorkingDays('2026-02-12', 0)).toBe('2026-02-12')
    // From a Saturday: Monday is the first working day.
    expect(cal.addWorkingDays('2026-03-07', 1)).toBe('2026-03-09')
  })

  it('a 调休 Saturday counts as a working day', () => {
    expect(cal.addWorkingDays('2025-02-07', 1)).toBe('2025-02-08')
    expect(cal.workingDaysBetween('2025-02-07', '2025-02-10')).toBe(2)
    expect(cal.addWorkingDays('2026-02-27', 1)).toBe('2026-02-28')
  })

  it('workingDaysBetween counts (from, to], negative and additive when reversed', () => {
    expect(cal.workingDaysBetween('2026-03-09', '2026-03-09')).toBe(0)
    expect(cal.workingDaysBetween('2026-03-06', '2026-03-09')).toBe(1)
    expect(cal.workingDaysBetween('2026-03-09', '2026-03-06')).toBe(-1)
    expect(cal.workingDaysBetween('2025-10-12', '2025-09-26')).toBe(-6)
    const ab = cal.workingDaysBetween('2026-02-01', '2026-03-31')
    const bc = cal.workingDaysBetween('2026-03-31', '2026-02-10')
    expect(ab + bc).toBe(cal.workingDaysBetween('2026-02-01', '2026-02-10'))
  })

  it('round-trips: workingDaysBetween(d, addWorkingDays(d, n)) === n', () => {
    for (const d of ['2025-01-25', '2025-09-30', '2026-02-13', '2026-09-19']) {
      for (const n of [0, 1, 5, 10, 20]) expect(cal.workingDaysBetween(d, cal.addWorkingDays(d, n))).toBe(n)
    }
  })

  it('rejects malformed dates and day counts', () => {
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError)
    expect(() => cal.addWorkingDays('2026/02/12', 1)).toThrow(RangeError)
    expect(() => cal.addWorkingDays('2026-02-12', -1)).toThrow(RangeError)
    expect(() => cal.addWorkingDays('2026-02-12', 1.5)).toThrow(RangeError)
  })
})

describe('administrator overrides', () => {
  it('an added holiday shifts a deadline', () => {
    const withClosure = createWorkingCalendar([{ date: '2026-03-03', kind: 'holiday', name: '停电闭厅' }])
    expect(withClosure.addWorkingDays('2026-02-12', 10)).toBe('2026-03-05')
    expect(withClosure.describeDay('2026-03-03')).toMatchObject({ source: 'override', name: '停电闭厅' })
  })

  it('win over the package in both directions', () => {
    const o = createWorkingCalendar([
      { date: '2026-10-07', kind: 'workday' },
      { date: '2026-02-14', kind: 'holiday' },
    ])
    expect(o.isWorkingDay('2026-10-07')).toBe(true)
    expect(o.isWorkingDay('2026-02-14')).toBe(false)
    expect(o.addWorkingDays('2026-02-13', 1)).toBe('2026-02-24')
  })

  it('add a year the package does not know yet (hypothetical 2027 arrangement)', () => {
    expect(cal.isWorkingDay('2027-02-08')).toBe(true)
    const days = range('2027-02-06', 8).map((date) => ({ date, kind: 'holiday' as const, name: '春节' }))
    const o = createWorkingCalendar([...days, { date: '2027-02-14', kind: 'workday', name: '春节' }])
    expect(o.isWorkingDay('2027-02-08')).toBe(false)
    expect(o.isWorkingDay('2027-02-14')).toBe(true)
    // Friday 02-05: Sunday 02-14 (调休) is the first working day after the break.
    expect(cal.addWorkingDays('2027-02-05', 1)).toBe('2027-02-08')
    expect(o.addWorkingDays('2027-02-05', 1)).toBe('2027-02-14')
    expect(o.coverage().overrideYears).toEqual([2027])
  })

  it('rejects a malformed override', () => {
    expect(() => createWorkingCalendar([{ date: '2026-13-01', kind: 'holiday' }])).toThrow(RangeError)
  })
})
