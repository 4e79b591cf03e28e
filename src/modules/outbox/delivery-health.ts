import type { Ctx } from '../../context.js'
import { queueFiguresByPartner } from './report-queries.js'

/**
 * Delivery figures per partner, from the outbox as it is now:
 *
 * - `pending`: messages waiting to be delivered (queue depth), `retrying` the part of them that
 *   failed at least once;
 * - `oldestPendingAgeSeconds`: age of the oldest waiting message (null when none) — the figure
 *   to alert on, since a stuck case holds back its later events;
 * - `attempts`: delivery attempts recorded (each try counts, the successful one included; a
 *   re-sent dead letter starts again from 0); `failedAttempts` = attempts − delivered, the tries
 *   that did not end in a verified receipt;
 * - `delivered`, `deadLetters`: messages in those states; `lastDeliveredAt`: last verified receipt.
 */
export interface PartnerDeliveryHealth {
  partner: string
  pending: number
  retrying: number
  oldestPendingAgeSeconds: number | null
  attempts: number
  failedAttempts: number
  delivered: number
  deadLetters: number
  lastDeliveredAt: string | null
}

export async function deliveryHealth({
  ctx,
}: {
  ctx: Ctx
}): Promise<{ at: string; partners: PartnerDeliveryHealth[] }> {
  const now = ctx.clock.now()
  const rows = await queueFiguresByPartner(ctx.db)
  return {
    at: now.toISOString(),
    partners: rows.map((r) => ({
      partner: r.partnerRegion,
      pending: r.pending,
      retrying: r.retrying,
      oldestPendingAgeSeconds: r.oldestPendingAt
        ? Math.max(0, Math.floor((now.getTime() - r.oldestPendingAt.getTime()) / 1000))
        : null,
      attempts: r.attempts,
      failedAttempts: Math.max(0, r.attempts - r.delivered),
      delivered: r.delivered,
      deadLetters: r.dead,
      lastDeliveredAt: r.lastDeliveredAt?.toISOString() ?? null,
    })),
  }
}
