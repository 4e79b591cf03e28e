import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { AppError } from '../../lib/errors.js'
import { recordAudit } from '../audit/record-audit.js'
import { type DeadLetterSummary, findOutbox, type OutboxRow, requeueDead } from './repository.js'

export interface Resent {
  id: string
  partner: string
  jti: string
  status: 'pending'
  nextAttemptAt: string
}

/**
 * Puts one dead letter back in the queue: same jti and payload (the partner dedupes it if an
 * earlier attempt did arrive), attempts 0, due now, a fresh 24-hour window. Audited `outbox.resent`.
 * Absent: 404 not_found; not dead (pending or delivered): 409 conflict.
 */
export async function resendDeadLetter({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<Resent> {
  return withTransaction(ctx, async (tx) => {
    const row = await findOutbox(tx.db, input.id, true)
    if (!row) throw new AppError('not_found', 'No such outbox message')
    if (row.status !== 'dead')
      throw new AppError('conflict', `The message is ${row.status}, not a dead letter`)
    const [requeued] = await requeueDead(tx.db, [row.id], tx.clock.now())
    await auditResent(tx, row)
    return resentView(requeued ?? row)
  })
}

export async function auditResent(ctx: Ctx, before: DeadLetterSummary): Promise<void> {
  await recordAudit(ctx, {
    action: 'outbox.resent',
    subject: `outbox:${before.id}`,
    data: {
      partner: before.partnerRegion,
      jti: before.jti,
      typ: before.typ,
      caseId: before.caseId,
      caseSeq: before.caseSeq,
      previousAttempts: before.attempts,
      lastError: before.lastError,
    },
  })
}

export function resentView(row: Pick<OutboxRow, 'id' | 'partnerRegion' | 'jti' | 'nextAttemptAt'>): Resent {
  return {
    id: row.id,
    partner: row.partnerRegion,
    jti: row.jti,
    status: 'pending',
    nextAttemptAt: row.nextAttemptAt.toISOString(),
  }
}
