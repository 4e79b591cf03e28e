/** Time behind an interface so tests can fix it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(
  start: Date | string,
): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime()
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime()
    },
    advance: (ms) => {
      t += ms
    },
  }
}

const BEIJING_OFFSET_MS = 8 * 3600 * 1000

/** The calendar date in Beijing (UTC+8) of an instant, as YYYY-MM-DD. */
export function beijingDate(d: Date): string {
  return new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10)
}

/** An instant written in Beijing time with offset and milliseconds: 2026-11-28T09:30:01.123+08:00 */
export function beijingTimestamp(d: Date): string {
  return `${new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 23)}+08:00`
}
