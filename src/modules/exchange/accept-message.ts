import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { isUniqueViolation } from '../../lib/db-errors.js'
import { AppError } from '../../lib/errors.js'
import { makeReceipt, type VerifiedMessage } from '../trust/envelope/index.js'
import { claimMessage, completeMessage, findMessage } from './evidence.js'

export interface Accepted {
  status: 201 | 200
  /** The signed receipt (compact JWS). */
  receipt: string
  caseNo: string
}

/** What the business step decided: a new effect, or the same content seen before. */
export interface StepResult {
  caseNo: string
  outcome: 'accepted' | 'duplicate'
  /**
   * Writes that need only the rows the step has already written: they are sent together with
   * the evidence row's receipt, without waiting for each other (on PostgreSQL, one round trip
   * for all of them; statements on one connection still run in the order they were sent).
   */
  alongside?: () => Promise<unknown>
  /**
   * Writes to rows that many transactions share (the statistics counters), run after
   * everything else, just before COMMIT: their row locks are then held for the shortest time,
   * so concurrent intakes queue on them as little as possible.
   */
  lastly?: () => Promise<void>
}

/**
 * The protocol's idempotency around one verified message, in one transaction with its effect:
 * - the (partner, jti) is claimed in the evidence store; a second claim with the same payload
 *   digest is a retry, answered with the original receipt's content and `outcome: duplicate`;
 *   with another digest it is `409 replayed_message`;
 * - otherwise `step` runs (it may itself find a business duplicate), and the signed receipt is
 *   stored with the message as proof of what we acknowledged.
 * A refusal thrown by `step` rolls everything back: nothing is left but the caller's audit entry.
 */
export async function acceptMessage(
  ctx: Ctx,
  message: VerifiedMessage,
  jws: string,
  step: (tx: Ctx) => Promise<StepResult>,
): Promise<Accepted> {
  try {
    return await attempt(ctx, message, jws, step)
  } catch (err) {
    // Two different messages raced for one business key (a case number, an event seq); the
    // loser retries once and now sees the winner's row.
    if (isUniqueViolation(err)) return attempt(ctx, message, jws, step)
    throw err
  }
}

async function attempt(
  ctx: Ctx,
  message: VerifiedMessage,
  jws: string,
  step: (tx: Ctx) => Promise<StepResult>,
): Promise<Accepted> {
  const { sender, header, digest } = message
  return withTransaction(ctx, async (tx) => {
    const now = tx.clock.now()
    const id = randomUUID()
    const claimed = await claimMessage(tx.db, {
      id,
      direction: 'in',
      partnerRegion: sender,
      jti: header.jti,
      typ: header.typ,
      digest,
      jws,
    })
    if (!claimed) {
      const earlier = await findMessage(tx.db, sender, 'in', header.jti)
      if (!earlier || earlier.digest !== digest || !earlier.caseNo || !earlier.receivedAt) {
        throw new AppError('replayed_message', `Message id ${header.jti} was already used for other content`)
      }
      const receipt = await signReceipt(tx, message, earlier.caseNo, earlier.receivedAt, 'duplicate')
      return { status: 200 as const, receipt, caseNo: earlier.caseNo }
    }
    const result = await step(tx)
    const receipt = await signReceipt(tx, message, result.caseNo, now, result.outcome)
    await Promise.all([
      completeMessage(tx.db, id, { caseNo: result.caseNo, receiptJws: receipt, receivedAt: now }),
      result.alongside?.(),
    ])
    await result.lastly?.()
    return {
      status: result.outcome === 'accepted' ? (201 as const) : (200 as const),
      receipt,
      caseNo: result.caseNo,
    }
  })
}

/** Our signed receipt of a message: what we acknowledge, with our case number. */
export async function signReceipt(
  ctx: Ctx,
  message: VerifiedMessage,
  caseNo: string,
  receivedAt: Date,
  outcome: 'accepted' | 'duplicate',
): Promise<string> {
  const payload = makeReceipt({
    ref: message.header.jti,
    digest: message.digest,
    receivedAt,
    outcome,
    caseNo,
  })
  const { jws } = await ctx.signer.sign({
    typ: 'kytb-receipt',
    cty: 'json',
    aud: message.sender,
    payload,
    now: ctx.clock.now(),
  })
  return jws
}
