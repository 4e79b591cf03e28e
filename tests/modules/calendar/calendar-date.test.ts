import { afterEach, describe, expect, it } from 'vitest'
import {
  addDays,
  beijingDateOf,
  beijingDateOfInstant,
  isCalendarDate,
  toDayNumber,
} from '../../../src/modules/calendar/calendar-date.js'
import { createWorkingCalendar } from '../../../src/modules/calendar/working-calendar.js'

const originalTz = process.env.TZ

describe('calendar dates', () => {
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ
    else process.env.TZ = originalTz
  })

  it('validates YYYY-MM-DD strictly', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true)
    expect(isCalendarDate('2026-02-29')).toBe(false)
    expect(isCalendarDate('2026-2-1')).toBe(false)
    expect(isCalendarDate('0099-01-01')).toBe(true)
  })

  it('does plain day arithmetic across month, year and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(toDayNumber('1970-01-02')).toBe(1)
  })

  it('takes the Beijing date of an instant, whatever its offset', () => {
    expect(beijingDateOf('2026-02-11T16:00:00Z')).toBe('2026-02-12')
    expect(beijingDateOf('2026-02-11T15:59:59.999Z')).toBe('2026-02-11')
    expect(beijingDateOf('2026-02-11T23:30:00-05:00')).toBe('2026-02-12')
    expect(beijingDateOf('2026-02-12T00:00:00+08:00')).toBe('2026-02-12')
    expect(beijingDateOfInstant(new Date(Date.UTC(2026, 9, 7, 16)))).toBe('2026-10-08')
  })

  it('refuses timestamps that would fall back to the server zone or roll over', () => {
    expect(() => beijingDateOf('2026-02-12T09:00:00')).toThrow(RangeError)
    expect(() => beijingDateOf('2026-02-12')).toThrow(RangeError)
    expect(() => beijingDateOf('2026-02-30T09:00:00+08:00')).toThrow(RangeError)
  })

  it('gives the same answers whatever the server time zone', () => {
    const answers = (): unknown[] => {
      const cal = createWorkingCalendar()
      return [
        cal.addWorkingDays('2026-02-12', 10),
        cal.isWorkingDay('2026-02-14'),
        cal.workingDaysBetween('2026-09-18', '2026-10-14'),
        beijingDateOf('2026-02-11T16:30:00Z'),
      ]
    }
    const expected = ['2026-03-04', true, 14, '2026-02-12']
    for (const tz of ['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
      process.env.TZ = tz
      expect(answers()).toEqual(expected)
    }
  })
})
