import type { Ctx } from '../../context.js'
import { isAppError } from '../../lib/errors.js'
import { verifyReceipt } from '../trust/envelope/index.js'
import { nextAttemptAt, retryWindowOver } from './backoff.js'
import { classifyAnswer, clip, type Verdict } from './classify-answer.js'
import { deadLetter } from './dead-letter.js'
import type { DeliveryAgreement } from './delivery-agreement.js'
import type { DeliveryClient } from './delivery-client.js'
import { recordDelivered } from './record-delivered.js'
import { type OutboxRow, recordFailure } from './repository.js'

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'lost'

export interface DeliveryEnv {
  ctx: Ctx
  client: DeliveryClient
  /** This worker instance: the rows it may settle as failed are those it leased. */
  instanceId: string
  /** The partner's agreement now (memoised per batch by the worker). */
  agreementFor(region: string): Promise<DeliveryAgreement | undefined>
  /** Back-off jitter; tests may fix it. */
  random?: () => number
  /** Set when the worker stops: the attempt in flight is abandoned (and retried later). */
  stopSignal?: AbortSignal
}

/**
 * One attempt at one claimed row: sign now (same jti every attempt, fresh iat, so a long outage
 * never makes a retry stale), POST it, and settle the row from the answer — delivered with a
 * verified receipt, back to the queue with a back-off, or dead.
 */
export async function deliverOne(env: DeliveryEnv, row: OutboxRow): Promise<DeliveryOutcome> {
  const { ctx } = env
  const agreement = await env.agreementFor(row.partnerRegion)
  if (!agreement || agreement.inactive) {
    return fail(env, row, { action: 'retry', error: agreement?.inactive ?? 'agreement not active (none)' })
  }
  const signed = await ctx.signer.sign({
    typ: row.typ,
    cty: row.cty,
    aud: row.partnerRegion,
    payload: row.payload,
    jti: row.jti,
    now: ctx.clock.now(),
  })
  const result = await env.client.post(`${agreement.endpoint}/${row.path}`, signed.jws, env.stopSignal)
  if (result.kind !== 'response') {
    if (result.kind === 'refused') {
      ctx.log.warn(
        { outboxId: row.id, partner: row.partnerRegion, reason: result.message },
        'address guard refused',
      )
    }
    const prefix = result.kind === 'refused' ? 'address guard: ' : ''
    return fail(env, row, { action: 'retry', error: `${prefix}${result.message}` })
  }
  if (result.status < 200 || result.status > 299) {
    return fail(env, row, classifyAnswer(result.status, result.headers, result.body, ctx.clock.now()))
  }
  // A 2xx counts only with a receipt that verifies: signed by this partner, for this jti and digest.
  let receipt: Awaited<ReturnType<typeof verifyReceipt>>['receipt']
  try {
    ;({ receipt } = await verifyReceipt(result.body.trim(), {
      partnerAgreement: agreement.sender,
      expectedRef: row.jti,
      expectedDigest: row.digest,
      ownRegion: ctx.config.GATEWAY_REGION,
      now: ctx.clock.now(),
    }))
  } catch (err) {
    if (!isAppError(err)) throw err
    ctx.log.warn(
      { outboxId: row.id, partner: row.partnerRegion, code: err.code, internal: err.internal },
      'receipt does not verify',
    )
    return fail(env, row, {
      action: 'retry',
      error: `HTTP ${result.status} receipt refused: ${err.internal ?? err.code}`,
    })
  }
  const settled = await recordDelivered(ctx, {
    row,
    jws: signed.jws,
    receiptJws: result.body.trim(),
    receipt,
  })
  return settled ? 'delivered' : 'lost'
}

/** A failed attempt: dead when the answer says so or the 24-hour window is over, else a back-off. */
export async function fail(env: DeliveryEnv, row: OutboxRow, verdict: Verdict): Promise<DeliveryOutcome> {
  const now = env.ctx.clock.now()
  const error = clip(verdict.error, 300)
  if (verdict.action === 'dead' || retryWindowOver(row, now)) {
    const windowOver = verdict.action !== 'dead'
    const settled = await deadLetter(env.ctx, {
      row,
      leasedBy: env.instanceId,
      error: windowOver ? clip(`retry window of 24 h over; last: ${error}`, 300) : error,
    })
    return settled ? 'dead' : 'lost'
  }
  const updated = await recordFailure(env.ctx.db, row.id, env.instanceId, {
    lastError: error,
    nextAttemptAt: nextAttemptAt(now, row.attempts, verdict.retryAfterMs, env.random),
    dead: false,
  })
  return updated ? 'retry' : 'lost'
}
