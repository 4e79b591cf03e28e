import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { AppError } from '../../lib/errors.js'
import { recordAudit } from '../audit/record-audit.js'
import { ITEM_STATUS_MOVES, type Item, type ItemStatus } from './model.js'
import { findItem, setItemStatus } from './repository.js'

export async function changeItemStatus({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { code: string; status: ItemStatus }
}): Promise<Item> {
  return withTransaction(ctx, async (tx) => {
    const item = await findItem(tx.db, input.code)
    if (!item) throw new AppError('not_found', `No item ${input.code}`)
    if (item.status === input.status) return item
    if (!ITEM_STATUS_MOVES[item.status].includes(input.status)) {
      throw new AppError(
        'transition_not_allowed',
        `An item that is ${item.status} cannot become ${input.status}`,
      )
    }
    await setItemStatus(tx.db, item.code, input.status, tx.clock.now())
    await recordAudit(tx, {
      action: 'item.status_changed',
      subject: `item:${item.code}`,
      data: { from: item.status, to: input.status },
    })
    return { ...item, status: input.status }
  })
}
