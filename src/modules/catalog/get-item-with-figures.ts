import type { Ctx } from '../../context.js'
import type { Figures } from '../stats/figures.js'
import { getItemFigures } from '../stats/get-item-figures.js'
import { getItem } from './get-item.js'
import type { Item } from './model.js'

/** The figures of an item's cases (modules/stats/README.md has the definitions). */
export type ItemFigures = Figures

/** The item and its case figures; a clerk of another department sees zeros (stats scoping). */
export async function getItemWithFigures({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { code: string }
}): Promise<Item & { figures: ItemFigures }> {
  const item = await getItem({ ctx, input })
  return { ...item, figures: await getItemFigures({ ctx, input: { code: item.code } }) }
}
