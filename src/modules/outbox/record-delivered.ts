import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { setPartnerCaseNoIfUnset } from '../cases/repository.js'
import type { Receipt } from '../trust/envelope/index.js'
import { caseNoOf, insertOutgoingEvidence, markDelivered, type OutboxRow } from './repository.js'

/**
 * Settles a delivered row and files the evidence (messages, direction `out`: what we sent and the
 * partner's signed receipt) in one transaction. After a crash between send and this step the
 * message is sent again with the same jti; the partner answers `duplicate`, and whichever receipt
 * is filed first stays. False when the row was already settled.
 */
export async function recordDelivered(
  ctx: Ctx,
  input: { row: OutboxRow; jws: string; receiptJws: string; receipt: Receipt },
): Promise<boolean> {
  const { row, receipt } = input
  return withTransaction(ctx, async (tx) => {
    const settled = await markDelivered(tx.db, row.id, {
      receiptJws: input.receiptJws,
      deliveredAt: tx.clock.now(),
    })
    if (!settled) return false
    await insertOutgoingEvidence(tx.db, {
      id: randomUUID(),
      direction: 'out',
      partnerRegion: row.partnerRegion,
      jti: row.jti,
      typ: row.typ,
      digest: row.digest,
      jws: input.jws,
      caseNo: await caseNoOf(tx.db, row.caseId),
      receiptJws: input.receiptJws,
      receivedAt: new Date(receipt.receivedAt),
      createdAt: tx.clock.now(),
    })
    // For a case we sent, the receipt's caseNo is the handler's own number: the one its events will carry.
    if (row.typ === 'kytb-case' && row.caseId)
      await setPartnerCaseNoIfUnset(tx.db, row.caseId, receipt.caseNo)
    return true
  })
}
