import type { Actor } from '../../context.js'
import type { Db } from '../../db/client.js'
import { beijingDateOfInstant } from '../calendar/calendar-date.js'
import { type Counts, type Figures, figuresOf, type Histogram, ZERO_COUNTS } from './figures.js'
import { countOverdue, type Dimension, type StatsFilter, sumCounts } from './repository.js'

/**
 * The filter an actor may ask for: administrators (and the gateway itself) see every case; a
 * clerk sees its own department's only, whatever it asked — the department is forced, not
 * checked, so a clerk gets its own figures rather than a hint about another department's.
 * Undefined: the actor sees no case at all.
 */
export function scopedFilter(actor: Actor, filter: StatsFilter): StatsFilter | undefined {
  if (actor.kind === 'system') return filter
  if (actor.kind !== 'user') return undefined
  if (actor.role === 'admin') return filter
  return actor.department ? { ...filter, department: actor.department } : undefined
}

/** `total` or `<dimension>:<value>`. */
export const groupKey = (dim: Dimension | 'total', value = ''): string =>
  dim === 'total' ? 'total' : `${dim}:${value}`

/**
 * The figures of the selection and of each value of `dims` within it: the counters with their
 * working-days histogram (one grouped query, two when items are a dimension too: item rows and
 * all-items rows are different rollups) and the overdue cases (one), whatever the number of
 * groups. The Beijing date of `now` decides what is overdue.
 */
export async function collectFigures(
  db: Db,
  filter: StatsFilter,
  dims: readonly Dimension[],
  now: Date,
): Promise<Map<string, Figures>> {
  const today = beijingDateOfInstant(now)
  const others = dims.filter((d) => d !== 'item')
  const byItem = dims.includes('item')
  // Sequential on purpose: inside a transaction they share one connection anyway, and PGlite
  // runs one query at a time. Items alone (the catalogue page) need no total: no all-items query.
  const counts = others.length > 0 || !byItem ? await sumCounts(db, filter, others) : []
  if (byItem) counts.push(...(await sumCounts(db, filter, ['item'], false)))
  const overdue = await countOverdue(db, filter, today, dims)

  const groups = new Map<string, { counts: Counts; overdue: number; histogram: Histogram }>()
  for (const r of counts) groups.set(groupKey(r.group.dim, r.group.value), { ...r, overdue: 0 })
  for (const r of overdue) {
    const key = groupKey(r.group.dim, r.group.value)
    // An overdue case is always counted too; a group missing here means counters out of step.
    groups.set(key, { counts: ZERO_COUNTS, histogram: new Map(), ...groups.get(key), overdue: r.overdue })
  }
  const figures = new Map<string, Figures>()
  for (const [key, g] of groups) figures.set(key, figuresOf(g.counts, g.overdue, g.histogram))
  return figures
}
