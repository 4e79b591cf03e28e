import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { AppError } from '../../lib/errors.js'
import { deadLettersOfPartner, requeueDead } from './repository.js'
import { auditResent, type Resent, resentView } from './resend-dead-letter.js'

/**
 * Puts every dead letter of one partner back in the queue (after an outage or a fixed agreement),
 * as resend-dead-letter.ts does for one, in one transaction, one `outbox.resent` entry per message
 * so the audit trail reads the same however a message was re-sent.
 */
export async function resendPartnerDeadLetters({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { partner: string }
}): Promise<{ partner: string; resent: number; items: Resent[] }> {
  if (!/^\d{6}$/.test(input.partner)) {
    throw new AppError('validation_failed', 'partner must be a 6-digit region code', {
      errors: [{ location: '/query/partner', code: 'invalid', message: 'a 6-digit region code' }],
    })
  }
  return withTransaction(ctx, async (tx) => {
    const dead = await deadLettersOfPartner(tx.db, input.partner)
    const requeued = await requeueDead(
      tx.db,
      dead.map((d) => d.id),
      tx.clock.now(),
    )
    for (const row of dead) await auditResent(tx, row)
    return { partner: input.partner, resent: requeued.length, items: requeued.map(resentView) }
  })
}
