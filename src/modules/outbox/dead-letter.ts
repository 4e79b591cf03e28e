import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { recordAudit } from '../audit/record-audit.js'
import { type OutboxRow, recordFailure } from './repository.js'

/**
 * Gives up on a message: status dead, audited as `outbox.dead_lettered` in the same transaction,
 * then the operator alert — an error log line with `alert: "dead_letter"` that log shipping turns
 * into a page. The row keeps its payload and jti, so a re-send (resend-dead-letter.ts) is the
 * same message. False when this instance no longer holds the lease (another one decides now).
 */
export async function deadLetter(
  ctx: Ctx,
  input: { row: OutboxRow; leasedBy: string; error: string },
): Promise<boolean> {
  const { row, error } = input
  const dead = await withTransaction(ctx, async (tx) => {
    const updated = await recordFailure(tx.db, row.id, input.leasedBy, {
      lastError: error,
      nextAttemptAt: row.nextAttemptAt,
      dead: true,
    })
    if (!updated) return undefined
    await recordAudit(tx, {
      action: 'outbox.dead_lettered',
      subject: `outbox:${row.id}`,
      data: {
        partner: row.partnerRegion,
        jti: row.jti,
        typ: row.typ,
        caseId: row.caseId,
        caseSeq: row.caseSeq,
        attempts: updated.attempts,
        lastError: error,
      },
    })
    return updated
  })
  if (!dead) return false
  ctx.log.error(
    {
      alert: 'dead_letter',
      outboxId: row.id,
      partner: row.partnerRegion,
      jti: row.jti,
      typ: row.typ,
      caseId: row.caseId,
      caseSeq: row.caseSeq,
      attempts: dead.attempts,
      lastError: error,
    },
    'outbox message dead-lettered: delivery given up, operator action needed (npm run dead-letters)',
  )
  return true
}
