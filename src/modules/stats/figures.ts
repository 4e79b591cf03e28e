/**
 * The figures of a selection of cases, computed from counters (README.md has the definitions).
 * Pure: the repository brings the counts, this turns them into the published figures.
 */
import { beijingDateOfInstant } from '../calendar/calendar-date.js'
import type { CaseState } from '../cases/lifecycle.js'

export interface Figures {
  received: number
  open: number
  /** Reached `concluded` (state concluded or delivered). */
  concluded: number
  rejected: number
  withdrawn: number
  /** Open cases past their promised date now. */
  overdue: number
  /** 办结率 = (concluded + rejected) ÷ (received − withdrawn); null when that is 0. */
  completionRate: number | null
  /** 按时办结率 = concluded within the time limit ÷ concluded; null before the first conclusion. */
  onTimeRate: number | null
  /** Median working days used by the concluded cases; null before the first conclusion. */
  medianWorkingDays: number | null
}

/** The counts kept per counters row; received is their sum. */
export interface Counts {
  open: number
  concluded: number
  rejected: number
  withdrawn: number
  concludedLate: number
}

export const ZERO_COUNTS: Counts = { open: 0, concluded: 0, rejected: 0, withdrawn: 0, concludedLate: 0 }

/** A state bucket, named like its counter. */
export type Bucket = 'open' | 'concluded' | 'rejected' | 'withdrawn'

/** Which counter a state counts in. `delivered` follows `concluded`: it is a concluded case handed over. */
export function bucketOf(state: CaseState): Bucket {
  if (state === 'concluded' || state === 'delivered') return 'concluded'
  if (state === 'rejected' || state === 'withdrawn') return state
  return 'open'
}

/** The counters' month of a case: `YYYY-MM` of its receipt, in Beijing time like every date here. */
export const monthOf = (receivedAt: Date): string => beijingDateOfInstant(receivedAt).slice(0, 7)

/** Working days → number of concluded cases. */
export type Histogram = ReadonlyMap<number, number>

/**
 * The median of the values a histogram counts, like percentile_cont(0.5): the middle value, or the
 * mean of the two middle ones for an even count.
 */
export function medianOfHistogram(histogram: Histogram): number | null {
  const entries = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b)
  const total = entries.reduce((sum, [, n]) => sum + n, 0)
  if (total === 0) return null
  // 0-based ranks of the middle value(s).
  const lo = Math.floor((total - 1) / 2)
  const hi = Math.floor(total / 2)
  let seen = 0
  let low: number | undefined
  for (const [days, n] of entries) {
    if (low === undefined && lo < seen + n) low = days
    if (hi < seen + n) return ((low ?? days) + days) / 2
    seen += n
  }
  return null
}

const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null

export function figuresOf(counts: Counts, overdue: number, histogram: Histogram = new Map()): Figures {
  const { open, concluded, rejected, withdrawn, concludedLate } = counts
  const received = open + concluded + rejected + withdrawn
  return {
    received,
    open,
    concluded,
    rejected,
    withdrawn,
    overdue,
    completionRate: ratio(concluded + rejected, received - withdrawn),
    onTimeRate: ratio(concluded - concludedLate, concluded),
    medianWorkingDays: medianOfHistogram(histogram),
  }
}

export const NO_CASES: Figures = figuresOf(ZERO_COUNTS, 0)
