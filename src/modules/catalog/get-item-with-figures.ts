import type { Ctx } from '../../context.js'
import { getItem } from './get-item.js'
import type { Item } from './model.js'

export interface ItemFigures {
  received: number
  open: number
  concluded: number
  overdue: number
  completionRate: number | null
  medianWorkingDays: number | null
}

const NO_CASES: ItemFigures = {
  received: 0,
  open: 0,
  concluded: 0,
  overdue: 0,
  completionRate: null,
  medianWorkingDays: null,
}

/** The item and its case figures (cases arrive with the cases module; until then, none). */
export async function getItemWithFigures({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { code: string }
}): Promise<Item & { figures: ItemFigures }> {
  const item = await getItem({ ctx, input })
  return { ...item, figures: NO_CASES }
}
