import { describe, expect, it } from 'vitest'
import {
  bucketOf,
  figuresOf,
  medianOfHistogram,
  monthOf,
  ZERO_COUNTS,
} from '../../../src/modules/stats/figures.js'
import { nextMonth, periodRanges } from '../../../src/modules/stats/periods.js'

const hist = (pairs: [number, number][]) => new Map(pairs)

describe('medianOfHistogram', () => {
  it('is the middle value for an odd count and the mean of the middle two for an even one', () => {
    expect(medianOfHistogram(hist([[3, 1]]))).toBe(3)
    expect(
      medianOfHistogram(
        hist([
          [1, 1],
          [2, 1],
          [9, 1],
        ]),
      ),
    ).toBe(2)
    expect(
      medianOfHistogram(
        hist([
          [1, 1],
          [3, 1],
        ]),
      ),
    ).toBe(2)
    expect(
      medianOfHistogram(
        hist([
          [0, 2],
          [5, 2],
        ]),
      ),
    ).toBe(2.5)
    expect(
      medianOfHistogram(
        hist([
          [4, 1],
          [1, 3],
        ]),
      ),
    ).toBe(1) // order of entries does not matter
  })

  it('is null without values and skips empty columns', () => {
    expect(medianOfHistogram(new Map())).toBeNull()
    expect(
      medianOfHistogram(
        hist([
          [0, 0],
          [1, 0],
        ]),
      ),
    ).toBeNull()
    expect(
      medianOfHistogram(
        hist([
          [0, 0],
          [7, 1],
          [8, 0],
        ]),
      ),
    ).toBe(7)
  })
})

describe('figuresOf', () => {
  it('derives received and the rates from the bucket counts', () => {
    const f = figuresOf(
      { open: 3, concluded: 4, rejected: 2, withdrawn: 1, concludedLate: 1 },
      2,
      hist([[2, 4]]),
    )
    expect(f).toEqual({
      received: 10,
      open: 3,
      concluded: 4,
      rejected: 2,
      withdrawn: 1,
      overdue: 2,
      completionRate: 0.6667, // (4 + 2) ÷ (10 − 1)
      onTimeRate: 0.75, // (4 − 1) ÷ 4
      medianWorkingDays: 2,
    })
  })

  it('has no rates before there is anything to divide by', () => {
    expect(figuresOf(ZERO_COUNTS, 0)).toMatchObject({ received: 0, completionRate: null, onTimeRate: null })
    expect(figuresOf({ ...ZERO_COUNTS, withdrawn: 2 }, 0).completionRate).toBeNull()
    expect(figuresOf({ ...ZERO_COUNTS, open: 2 }, 0)).toMatchObject({ completionRate: 0, onTimeRate: null })
  })
})

describe('buckets and months', () => {
  it('puts delivered with concluded, and every other non-final state with open', () => {
    expect(bucketOf('delivered')).toBe('concluded')
    expect(bucketOf('concluded')).toBe('concluded')
    expect(bucketOf('rejected')).toBe('rejected')
    expect(bucketOf('withdrawn')).toBe('withdrawn')
    for (const s of ['submitted', 'received', 'accepted', 'correction_requested', 'suspended'] as const)
      expect(bucketOf(s)).toBe('open')
  })

  it('takes the month of receipt in Beijing time', () => {
    expect(monthOf(new Date('2026-01-31T15:59:59Z'))).toBe('2026-01')
    expect(monthOf(new Date('2026-01-31T16:00:00Z'))).toBe('2026-02')
    expect(nextMonth('2026-12')).toBe('2027-01')
    expect(nextMonth('2026-09')).toBe('2026-10')
  })
})

describe('periodRanges', () => {
  it('reads whole years as years and the months around them as months', () => {
    expect(periodRanges(undefined, undefined)).toEqual({ years: ['0000', '9999'], months: [] })
    expect(periodRanges('2025-03', '2026-12')).toEqual({
      years: ['2026', '2026'],
      months: [['2025-03', '2025-12']],
    })
    expect(periodRanges('2024-01', '2026-06')).toEqual({
      years: ['2024', '2025'],
      months: [['2026-01', '2026-06']],
    })
    expect(periodRanges('2025-02', undefined)).toEqual({
      years: ['2026', '9999'],
      months: [['2025-02', '2025-12']],
    })
    expect(periodRanges(undefined, '2026-11')).toEqual({
      years: ['0000', '2025'],
      months: [['2026-01', '2026-11']],
    })
  })

  it('reads a range within one or two years by month', () => {
    expect(periodRanges('2026-03', '2026-05')).toEqual({ months: [['2026-03', '2026-05']] })
    expect(periodRanges('2025-07', '2026-06')).toEqual({ months: [['2025-07', '2026-06']] })
  })
})
