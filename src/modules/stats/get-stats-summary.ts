import type { Ctx } from '../../context.js'
import { AppError } from '../../lib/errors.js'
import { collectFigures, groupKey, scopedFilter } from './collect-figures.js'
import { type Figures, NO_CASES } from './figures.js'
import type { Dimension, StatsFilter } from './repository.js'

export type StatsQuery = Omit<StatsFilter, 'item'>

export interface StatsSummary {
  totals: Figures
  byPartner: ({ partner: string } & Figures)[]
  /** `item` null: cases without a Xinfeng item (outbound cases, for the partner's items). */
  byItem: ({ item: string | null } & Figures)[]
  byDepartment: ({ department: string } & Figures)[]
  byMonth: ({ month: string } & Figures)[]
}

const DIMS: readonly Dimension[] = ['partner', 'item', 'department', 'month']
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/

/**
 * `GET /v1/stats`: the cases received in the months asked (all, by default), with their figures
 * in total and by partner, item, department and month. Three grouped queries (the all-items
 * counters, the item counters, the overdue cases): the cost does not grow with the case count.
 */
export async function getStatsSummary({
  ctx,
  input,
}: {
  ctx: Ctx
  input: StatsQuery
}): Promise<StatsSummary> {
  for (const [name, month] of [
    ['from', input.from],
    ['to', input.to],
  ] as const) {
    if (month !== undefined && !MONTH_RE.test(month)) {
      throw new AppError('validation_failed', `${name} must be a month, YYYY-MM`, {
        errors: [{ location: `/query/${name}`, code: 'invalid_format', message: 'expected YYYY-MM' }],
      })
    }
  }
  if (input.from && input.to && input.from > input.to) {
    throw new AppError('validation_failed', 'from is after to', {
      errors: [{ location: '/query/from', code: 'too_big', message: 'from must not be after to' }],
    })
  }
  const filter = scopedFilter(ctx.actor, input)
  const figures = filter
    ? await collectFigures(ctx.db, filter, DIMS, ctx.clock.now())
    : new Map<string, Figures>()

  const of = <K extends string>(dim: Dimension, name: K) => {
    const prefix = groupKey(dim)
    return [...figures]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, f]) => ({ [name]: key.slice(prefix.length), ...f }) as { [P in K]: string } & Figures)
  }
  const byCode =
    <K extends string>(name: K) =>
    (a: { [P in K]: string }, b: { [P in K]: string }) =>
      a[name] < b[name] ? -1 : a[name] > b[name] ? 1 : 0
  return {
    totals: figures.get(groupKey('total')) ?? NO_CASES,
    byPartner: of('partner', 'partner').sort(byCode('partner')),
    // The busiest items first: the console shows the head of this list.
    byItem: of('item', 'item')
      .sort((a, b) => b.received - a.received || byCode('item')(a, b))
      .map((row) => ({ ...row, item: row.item === '' ? null : row.item })),
    byDepartment: of('department', 'department').sort(byCode('department')),
    byMonth: of('month', 'month').sort(byCode('month')),
  }
}
