import type { Ctx } from '../../context.js'
import { collectFigures, groupKey, scopedFilter } from './collect-figures.js'
import { type Figures, NO_CASES } from './figures.js'
import type { StatsFilter } from './repository.js'

/**
 * One item's figures over all its cases (or the months asked), as the actor may see them: a clerk
 * of another department gets zeros. Reads the item's few counters rows and its overdue cases.
 */
export async function getItemFigures({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { code: string } & Omit<StatsFilter, 'item'>
}): Promise<Figures> {
  const { code, ...rest } = input
  const filter = scopedFilter(ctx.actor, { ...rest, item: code })
  if (!filter) return NO_CASES
  const figures = await collectFigures(ctx.db, filter, [], ctx.clock.now())
  return figures.get(groupKey('total')) ?? NO_CASES
}
