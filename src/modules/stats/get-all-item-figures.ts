import type { Ctx } from '../../context.js'
import { collectFigures, groupKey, scopedFilter } from './collect-figures.js'
import { type Figures, NO_CASES } from './figures.js'
import { allItemCodes, type StatsFilter } from './repository.js'

/**
 * The figures of every catalogue item at once (the console's catalogue page): item code →
 * figures, zeros for the items without cases, in four queries whatever the catalogue's size.
 * Cases without a Xinfeng item (outbound, the partner's item) are under ''.
 */
export async function getAllItemFigures({
  ctx,
  input = {},
}: {
  ctx: Ctx
  input?: Omit<StatsFilter, 'item'>
}): Promise<Map<string, Figures>> {
  const result = new Map<string, Figures>()
  for (const code of await allItemCodes(ctx.db)) result.set(code, NO_CASES)
  const filter = scopedFilter(ctx.actor, input)
  if (!filter) return result
  const figures = await collectFigures(ctx.db, filter, ['item'], ctx.clock.now())
  const prefix = groupKey('item')
  for (const [key, f] of figures) if (key.startsWith(prefix)) result.set(key.slice(prefix.length), f)
  return result
}
