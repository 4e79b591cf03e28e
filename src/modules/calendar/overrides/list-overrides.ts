import type { Ctx } from '../../../context.js'
import { type StoredOverride, selectOverrides } from './repository.js'

/** Every administrator override, earliest date first (a few dozen a year at most: no paging). */
export async function listOverrides({ ctx }: { ctx: Ctx }): Promise<StoredOverride[]> {
  return selectOverrides(ctx.db)
}
