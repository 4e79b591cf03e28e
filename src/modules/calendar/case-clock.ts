/**
 * The case clock of exchange-protocol-v1.md, "Time limit (承诺时限)", as a pure function of a
 * case's events. Counting rule (also in README.md):
 *
 * - Every instant is reduced to its Beijing (UTC+8) calendar date, whatever the server's zone.
 * - The clock starts on the date S of the first `accepted`. S itself is not counted (期间开始之日
 *   不计算在内): the limit is the n-th working day after S, due by the end of that day.
 * - `correction_requested`, `correction_submitted` and `suspended` pause it on their date P; the
 *   next handler event (`accepted`, `in_process`, `resumed`) resumes it on its date R. Each
 *   running stretch from date a to date b uses the working days in (a, b]: the pause date counts
 *   as used (the clock ran that day), the resume date does not (like S, it is a fresh start).
 *   The paused working days, those in (P, R], push the promised date back by as many.
 * - `concluded`, `rejected` and `withdrawn` end the clock on their date; later events are ignored.
 * - `now` only bounds the stretch still running; today counts as used once it has begun.
 * - While paused, the promised date is projected as if the clock resumed today, so it moves
 *   later with every paused working day. Once the limit has run out, later pauses do not move it.
 * - Overdue: the clock ran (or is running) past the end of the promised date, i.e. today (if
 *   running), the pause date (if paused) or the end date (if ended) is after the promised date.
 * Events are taken in the given order (the case's event sequence); a date that goes backwards
 * is treated as the previous one, so a skewed partner timestamp cannot make a count negative.
 */
import type { EventType } from '../formats/canonical.js'
import { beijingDateOf, beijingDateOfInstant, type CalendarDate } from './calendar-date.js'
import type { WorkingCalendar } from './working-calendar.js'

export interface ClockEvent {
  type: EventType
  /** ISO 8601 timestamp with its offset, e.g. `2026-02-12T09:30:00+08:00`. */
  at: string
}

export interface CaseClockInput {
  /** The item's promised time limit in working days (承诺时限). */
  promisedDays: number
  events: ReadonlyArray<ClockEvent>
  now: Date | string
}

export type ClockState = 'not_started' | 'running' | 'paused' | 'ended'

export interface CaseClock {
  state: ClockState
  startedOn?: CalendarDate
  /** The promised completion date (承诺办结日期), extended by the working days spent paused. */
  promisedDate?: CalendarDate
  /** Set while paused: the date the current pause began. */
  pausedSince?: CalendarDate
  endedOn?: CalendarDate
  workingDaysUsed: number
  /** Never below 0; an overdue case has `overdue: true` and `workingDaysUsed > promisedDays`. */
  workingDaysLeft: number
  /** Working days spent paused (in each pause (P, R]), up to now or to the end. */
  workingDaysPaused: number
  paused: boolean
  overdue: boolean
}

const PAUSES: ReadonlySet<EventType> = new Set(['correction_requested', 'correction_submitted', 'suspended'])
const RESUMES: ReadonlySet<EventType> = new Set(['accepted', 'in_process', 'resumed'])
const ENDS: ReadonlySet<EventType> = new Set(['concluded', 'rejected', 'withdrawn'])

const later = (a: CalendarDate, b: CalendarDate): CalendarDate => (a > b ? a : b)

/** The promised date a handler states in its `accepted` event: n working days after acceptance. */
export const computePromisedDate = (
  calendar: WorkingCalendar,
  acceptedOn: CalendarDate,
  promisedDays: number,
): CalendarDate => calendar.addWorkingDays(acceptedOn, promisedDays)

interface Replay {
  state: ClockState
  startedOn?: CalendarDate
  /** Start date of the stretch running now (state `running`). */
  runningFrom?: CalendarDate
  pausedSince?: CalendarDate
  endedOn?: CalendarDate
  /** Finished running stretches, each counting the working days in (from, to]. */
  stretches: Array<{ from: CalendarDate; to: CalendarDate }>
  /** Finished pauses, each (from, to]. */
  pauses: Array<{ from: CalendarDate; to: CalendarDate }>
}

const replay = (events: ReadonlyArray<ClockEvent>): Replay => {
  const r: Replay = { state: 'not_started', stretches: [], pauses: [] }
  for (const event of events) {
    const date = beijingDateOf(event.at)
    if (r.state === 'not_started') {
      if (event.type === 'accepted')
        Object.assign(r, { state: 'running', startedOn: date, runningFrom: date })
      else if (ENDS.has(event.type)) Object.assign(r, { state: 'ended', endedOn: date })
    } else if (r.state === 'running' && r.runningFrom !== undefined) {
      if (!PAUSES.has(event.type) && !ENDS.has(event.type)) continue
      const to = later(date, r.runningFrom)
      r.stretches.push({ from: r.runningFrom, to })
      r.runningFrom = undefined
      if (PAUSES.has(event.type)) Object.assign(r, { state: 'paused', pausedSince: to })
      else Object.assign(r, { state: 'ended', endedOn: to })
    } else if (r.state === 'paused' && r.pausedSince !== undefined) {
      if (!RESUMES.has(event.type) && !ENDS.has(event.type)) continue
      const to = later(date, r.pausedSince)
      r.pauses.push({ from: r.pausedSince, to })
      r.pausedSince = undefined
      if (RESUMES.has(event.type)) Object.assign(r, { state: 'running', runningFrom: to })
      else Object.assign(r, { state: 'ended', endedOn: to })
    }
  }
  return r
}

export const computeCaseClock = (calendar: WorkingCalendar, input: CaseClockInput): CaseClock => {
  const n = input.promisedDays
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`promisedDays must be an integer ≥ 0, got ${n}`)
  const today = typeof input.now === 'string' ? beijingDateOf(input.now) : beijingDateOfInstant(input.now)
  const r = replay(input.events)
  const between = (s: { from: CalendarDate; to: CalendarDate }) => calendar.workingDaysBetween(s.from, s.to)

  const stretches = [...r.stretches]
  if (r.runningFrom !== undefined) stretches.push({ from: r.runningFrom, to: later(today, r.runningFrom) })
  const pauses = [...r.pauses]
  if (r.pausedSince !== undefined) pauses.push({ from: r.pausedSince, to: later(today, r.pausedSince) })
  const used = stretches.reduce((sum, s) => sum + between(s), 0)
  const base = {
    state: r.state,
    workingDaysUsed: used,
    workingDaysLeft: Math.max(0, n - used),
    workingDaysPaused: pauses.reduce((sum, p) => sum + between(p), 0),
    paused: r.state === 'paused',
  }
  if (r.startedOn === undefined)
    return { ...base, overdue: false, ...(r.endedOn ? { endedOn: r.endedOn } : {}) }

  // Walk the finished stretches until the limit runs out inside one: that fixes the date for good.
  let left = n
  let promisedDate: CalendarDate | undefined
  for (const s of r.stretches) {
    const c = between(s)
    if (c >= left) {
      promisedDate = calendar.addWorkingDays(s.from, left)
      break
    }
    left -= c
  }
  // Otherwise the rest of the limit counts from where the clock (re)starts: the running stretch,
  // today for a paused clock (projection), or the end date for an ended one.
  if (promisedDate === undefined) {
    const from = r.runningFrom ?? (r.pausedSince !== undefined ? later(today, r.pausedSince) : r.endedOn)
    promisedDate = calendar.addWorkingDays(from ?? r.startedOn, left)
  }
  const clockDate = r.state === 'running' ? today : (r.pausedSince ?? r.endedOn ?? today)

  return {
    ...base,
    startedOn: r.startedOn,
    promisedDate,
    ...(r.pausedSince ? { pausedSince: r.pausedSince } : {}),
    ...(r.endedOn ? { endedOn: r.endedOn } : {}),
    overdue: clockDate > promisedDate,
  }
}
