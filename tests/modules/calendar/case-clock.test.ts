import { describe, expect, it } from 'vitest'
import {
  type ClockEvent,
  computeCaseClock,
  computePromisedDate,
} from '../../../src/modules/calendar/case-clock.js'
import { createWorkingCalendar } from '../../../src/modules/calendar/working-calendar.js'
import type { EventType } from '../../../src/modules/formats/canonical.js'

const cal = createWorkingCalendar()
const ev = (type: EventType, at: string): ClockEvent => ({ type, at })
const clock = (promisedDays: number, events: ClockEvent[], now: string) =>
  computeCaseClock(cal, { promisedDays, events, now })

describe('computeCaseClock: Spring Festival 2026', () => {
  it('computePromisedDate: 10 working days from Thu 02-12, just before the break', () => {
    // Fri 02-13, Sat 02-14 (调休), break 02-15..23, 02-24..28 (Sat 调休), 03-02..04.
    expect(computePromisedDate(cal, '2026-02-12', 10)).toBe('2026-03-04')
  })

  const accepted = [ev('received', '2026-02-11T16:00:00+08:00'), ev('accepted', '2026-02-12T09:30:00+08:00')]

  it('is not started before acceptance', () => {
    const c = clock(10, accepted.slice(0, 1), '2026-02-12T08:00:00+08:00')
    expect(c).toEqual({
      state: 'not_started',
      workingDaysUsed: 0,
      workingDaysLeft: 10,
      workingDaysPaused: 0,
      paused: false,
      overdue: false,
    })
  })

  it('runs through the holiday, counting the 调休 Saturday', () => {
    const c = clock(10, accepted, '2026-02-20T10:00:00+08:00')
    expect(c).toMatchObject({ state: 'running', startedOn: '2026-02-12', promisedDate: '2026-03-04' })
    expect(c).toMatchObject({ workingDaysUsed: 2, workingDaysLeft: 8, paused: false, overdue: false })
  })

  it('is due by the end of the promised date and overdue the next day', () => {
    expect(clock(10, accepted, '2026-03-04T23:59:59+08:00')).toMatchObject({
      workingDaysLeft: 0,
      overdue: false,
    })
    expect(clock(10, accepted, '2026-03-05T00:00:00+08:00')).toMatchObject({
      workingDaysUsed: 11,
      workingDaysLeft: 0,
      overdue: true,
    })
  })

  it('counts days in Beijing time whatever the offset of the timestamps', () => {
    // 2026-02-11T16:30Z is 00:30 on 02-12 in Beijing; now 2026-03-04T16:30Z is 00:30 on 03-05.
    const c = clock(10, [ev('accepted', '2026-02-11T16:30:00Z')], '2026-03-04T16:30:00Z')
    expect(c).toMatchObject({ startedOn: '2026-02-12', promisedDate: '2026-03-04', overdue: true })
    const early = clock(10, [ev('accepted', '2026-02-11T15:59:00Z')], '2026-02-12T00:00:00+08:00')
    expect(early).toMatchObject({ startedOn: '2026-02-11', promisedDate: '2026-03-03', workingDaysUsed: 1 })
  })

  it('a correction asked before acceptance does not start the clock', () => {
    const c = clock(
      10,
      [
        ev('received', '2026-02-09T10:00:00+08:00'),
        ev('correction_requested', '2026-02-09T11:00:00+08:00'),
        ev('correction_submitted', '2026-02-11T11:00:00+08:00'),
        ev('accepted', '2026-02-12T09:00:00+08:00'),
      ],
      '2026-02-13T09:00:00+08:00',
    )
    expect(c).toMatchObject({ startedOn: '2026-02-12', promisedDate: '2026-03-04', workingDaysUsed: 1 })
  })
})

describe('computeCaseClock: National Day 2026 with a correction pause', () => {
  // Accepted Fri 09-18; used 09-20 (Sun 调休), 09-21, 09-22; paused on 09-22; resumed on 09-29.
  // Paused working days (09-22, 09-29]: 09-23, 09-24, 09-28, 09-29 (09-25..27 is Mid-Autumn) = 4.
  // Without the pause the item would be due 10-09; with it, 4 working days later: 10-10 (Sat 调休),
  // 10-12, 10-13, 10-14.
  const events = [
    ev('accepted', '2026-09-18T09:00:00+08:00'),
    ev('correction_requested', '2026-09-22T10:00:00+08:00'),
    ev('correction_submitted', '2026-09-24T15:00:00+08:00'),
    ev('accepted', '2026-09-29T09:00:00+08:00'),
  ]

  it('before the pause, the plain deadline', () => {
    expect(clock(10, events.slice(0, 1), '2026-09-21T12:00:00+08:00')).toMatchObject({
      promisedDate: '2026-10-09',
      workingDaysUsed: 2,
      workingDaysLeft: 8,
    })
  })

  it('while paused, the deadline is projected as if resumed today', () => {
    const c = clock(10, events.slice(0, 3), '2026-09-25T10:00:00+08:00')
    expect(c).toEqual({
      state: 'paused',
      startedOn: '2026-09-18',
      promisedDate: '2026-10-12',
      pausedSince: '2026-09-22',
      workingDaysUsed: 3,
      workingDaysLeft: 7,
      workingDaysPaused: 2,
      paused: true,
      overdue: false,
    })
  })

  it('after resumption, extended by the 4 paused working days', () => {
    const c = clock(10, events, '2026-10-09T17:00:00+08:00')
    expect(c).toMatchObject({ state: 'running', promisedDate: '2026-10-14', workingDaysUsed: 6 })
    expect(c).toMatchObject({ workingDaysLeft: 4, workingDaysPaused: 4, paused: false, overdue: false })
    expect(clock(10, events, '2026-10-15T09:00:00+08:00')).toMatchObject({
      workingDaysUsed: 11,
      overdue: true,
    })
  })

  it('concluded on the promised date is on time, and the clock stops', () => {
    const done = [
      ...events,
      ev('concluded', '2026-10-14T16:00:00+08:00'),
      ev('delivered', '2026-10-20T09:00:00+08:00'),
    ]
    expect(clock(10, done, '2026-12-01T09:00:00+08:00')).toMatchObject({
      state: 'ended',
      endedOn: '2026-10-14',
      promisedDate: '2026-10-14',
      workingDaysUsed: 10,
      workingDaysLeft: 0,
      overdue: false,
    })
  })

  it('concluded a day late is overdue', () => {
    const late = [...events, ev('concluded', '2026-10-15T09:00:00+08:00')]
    expect(clock(10, late, '2026-12-01T09:00:00+08:00')).toMatchObject({ workingDaysUsed: 11, overdue: true })
  })
})

describe('computeCaseClock: other transitions', () => {
  it('suspended/resumed pauses like a correction', () => {
    // 5 days from Mon 03-02 would be Mon 03-09; suspended Wed 03-04 to Fri 03-06 adds 2.
    const c = clock(
      5,
      [
        ev('accepted', '2026-03-02T09:00:00+08:00'),
        ev('suspended', '2026-03-04T09:00:00+08:00'),
        ev('resumed', '2026-03-06T09:00:00+08:00'),
      ],
      '2026-03-06T12:00:00+08:00',
    )
    expect(c).toMatchObject({ promisedDate: '2026-03-11', workingDaysUsed: 2, workingDaysPaused: 2 })
  })

  it('a pause after the limit ran out does not move the promised date', () => {
    const events = [ev('accepted', '2026-03-02T09:00:00+08:00'), ev('suspended', '2026-03-05T09:00:00+08:00')]
    expect(clock(1, events, '2026-03-20T09:00:00+08:00')).toMatchObject({
      promisedDate: '2026-03-03',
      paused: true,
      overdue: true,
    })
  })

  it('withdrawn while paused ends the clock paused days and all', () => {
    const events = [
      ev('accepted', '2026-03-02T09:00:00+08:00'),
      ev('correction_requested', '2026-03-03T09:00:00+08:00'),
      ev('withdrawn', '2026-03-10T09:00:00+08:00'),
    ]
    expect(clock(5, events, '2026-04-01T09:00:00+08:00')).toMatchObject({
      state: 'ended',
      endedOn: '2026-03-10',
      workingDaysUsed: 1,
      workingDaysPaused: 5,
      paused: false,
      overdue: false,
    })
  })

  it('an immediate item (0 days) is due the day it is accepted', () => {
    const onTime = [ev('accepted', '2026-03-02T09:00:00+08:00'), ev('concluded', '2026-03-02T17:00:00+08:00')]
    expect(clock(0, onTime, '2026-03-03T09:00:00+08:00')).toMatchObject({
      promisedDate: '2026-03-02',
      overdue: false,
    })
    const late = [onTime[0]!, ev('concluded', '2026-03-03T09:00:00+08:00')]
    expect(clock(0, late, '2026-03-03T10:00:00+08:00')).toMatchObject({ overdue: true })
  })

  it('rejects timestamps without an offset and bad day counts', () => {
    expect(() => clock(5, [ev('accepted', '2026-03-02T09:00:00')], '2026-03-02T10:00:00Z')).toThrow(
      RangeError,
    )
    expect(() => clock(-1, [], '2026-03-02T10:00:00Z')).toThrow(RangeError)
  })
})
