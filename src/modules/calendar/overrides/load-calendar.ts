import type { Ctx } from '../../../context.js'
import { createWorkingCalendar, type WorkingCalendar } from '../working-calendar.js'
import { selectCalendarOverrides } from './repository.js'

/**
 * The working calendar with the administrators' overrides, for every deadline computation.
 *
 * Cases call this on every acceptance, so it is cached: 60 s per process, and dropped at once
 * by set/delete on this process. Another instance of the gateway sees a change within 60 s,
 * which is fine for data entered weeks before the dates it concerns. (A set/delete inside a
 * caller's transaction invalidates before that commit: a load in between may keep the old
 * calendar for up to 60 s, the same bound.)
 */
export const CALENDAR_CACHE_MS = 60_000

interface Entry {
  calendar: Promise<WorkingCalendar>
  loadedAt: number
}

// Keyed by the gateway's config object: every ctx of one gateway (including transaction ones,
// whose `db` differs) shares it, and two gateways in one process (tests) never share a cache.
const cache = new WeakMap<object, Entry>()

export function loadCalendar(ctx: Ctx): Promise<WorkingCalendar> {
  const now = ctx.clock.now().getTime()
  const hit = cache.get(ctx.config)
  if (hit && now - hit.loadedAt < CALENDAR_CACHE_MS && now >= hit.loadedAt) return hit.calendar

  // The promise is cached, so acceptances arriving together share one query.
  const entry: Entry = {
    loadedAt: now,
    calendar: selectCalendarOverrides(ctx.db).then(createWorkingCalendar),
  }
  cache.set(ctx.config, entry)
  entry.calendar.catch(() => {
    // A failed load must not be served for the next minute.
    if (cache.get(ctx.config) === entry) cache.delete(ctx.config)
  })
  return entry.calendar
}

/** Called by set/delete once their change is written, so this process uses it from now on. */
export function invalidateCalendar(ctx: Ctx): void {
  cache.delete(ctx.config)
}
