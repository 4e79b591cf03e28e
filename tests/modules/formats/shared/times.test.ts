import { describe, expect, it } from 'vitest'
import {
  dateFromDigits,
  dateToDigits,
  fromBeijingDigits,
  normaliseIsoTime,
  toBeijingDigits,
} from '../../../../src/modules/formats/shared/times.js'

describe('normaliseIsoTime', () => {
  it.each([
    ['2026-11-28T09:30:00+08:00', '2026-11-28T09:30:00+08:00'],
    ['2026-11-28T01:30:00Z', '2026-11-28T09:30:00+08:00'],
    ['2026-11-27T20:30:00-05:00', '2026-11-28T09:30:00+08:00'],
    ['2026-11-28T09:30:00.000+08:00', '2026-11-28T09:30:00+08:00'],
    ['2026-11-28T09:30:00.5+08:00', '2026-11-28T09:30:00.500+08:00'],
    ['2026-11-28T01:30:00.123Z', '2026-11-28T09:30:00.123+08:00'],
    ['2026-12-31T20:00:00Z', '2027-01-01T04:00:00+08:00'],
    ['2024-02-29T00:00:00+05:30', '2024-02-29T02:30:00+08:00'],
  ])('%s → %s', (input, output) => expect(normaliseIsoTime(input)).toBe(output))

  it.each([
    ['no offset', '2026-11-28T09:30:00'],
    ['impossible date', '2026-02-30T09:30:00+08:00'],
    ['hour 24', '2026-11-28T24:00:00+08:00'],
    ['leap second', '2026-12-31T23:59:60Z'],
    ['no seconds', '2026-11-28T09:30+08:00'],
    ['offset without colon', '2026-11-28T09:30:00+0800'],
    ['microseconds', '2026-11-28T09:30:00.123456+08:00'],
    ['space separator', '2026-11-28 09:30:00+08:00'],
    ['lower-case z', '2026-11-28T01:30:00z'],
    ['date only', '2026-11-28'],
    ['empty', ''],
  ])('refuses %s', (_why, input) => expect(normaliseIsoTime(input)).toBeUndefined())
})

describe('Beijing digit forms', () => {
  it('converts yyyyMMddHHmmss to canonical ISO and back', () => {
    expect(fromBeijingDigits('20261128093000')).toBe('2026-11-28T09:30:00+08:00')
    expect(toBeijingDigits('2026-11-28T01:30:00.999Z')).toBe('20261128093000')
  })
  it('refuses impossible or malformed digit times', () => {
    for (const s of ['20260230093000', '20261128250000', '2026112809300', '2026-11-28']) {
      expect(fromBeijingDigits(s)).toBeUndefined()
    }
    expect(toBeijingDigits('2026-11-28T09:30:00')).toBeUndefined()
  })
  it('converts dates both ways and refuses impossible ones', () => {
    expect(dateFromDigits('20261210')).toBe('2026-12-10')
    expect(dateToDigits('2026-12-10')).toBe('20261210')
    expect(dateFromDigits('20260230')).toBeUndefined()
    expect(dateFromDigits('2026121')).toBeUndefined()
    expect(dateToDigits('2026-02-30')).toBeUndefined()
  })
})
