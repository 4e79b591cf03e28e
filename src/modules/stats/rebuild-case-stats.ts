import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { rebuildCounters } from './rebuild-repository.js'

/**
 * Recomputes the case counters from the cases themselves, in one transaction: the first fill
 * after this module arrives on a database that already has cases, a bulk load, or a repair if
 * the counters were ever suspected of drifting. A few seconds at a million cases.
 */
export async function rebuildCaseStats({ ctx }: { ctx: Ctx }): Promise<void> {
  await withTransaction(ctx, (tx) => rebuildCounters(tx.db))
}
