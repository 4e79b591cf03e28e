import { and, asc, eq, inArray, isNull, lt, lte, ne, notExists, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import { outbox } from '../../db/schema/index.js'
import type { OutboxRow } from './repository.js'

export interface ClaimOptions {
  now: Date
  /** This worker instance; written to leased_by. */
  instanceId: string
  leaseMs: number
  limit: number
}

const earlier = alias(outbox, 'earlier')

/**
 * Claims up to `limit` due rows for this instance, in one short transaction:
 *
 * - due: pending, next_attempt_at reached, and no live lease (a crashed instance's lease lapses);
 * - in case order: a row of a case waits while any row of that case with a smaller case_seq is
 *   not delivered (pending or dead), so the outbound case (seq 0) goes before our events, and a
 *   dead event holds back the later ones until an operator re-sends it;
 * - `FOR UPDATE SKIP LOCKED`: instances claiming at the same time take disjoint rows; a row
 *   another instance has just leased is re-checked against the lease condition and skipped.
 *
 * At most one row per case is kept (the ordering rule already leaves only the lowest pending seq
 * claimable; this guards against two rows sharing a seq), so a batch never sends two rows of one
 * case at once. Rows locked but not kept are released when the transaction ends.
 */
export async function claimDue(db: Db, opts: ClaimOptions): Promise<OutboxRow[]> {
  const { now } = opts
  return db.transaction(async (tx) => {
    const candidates = await tx
      .select({ id: outbox.id, caseId: outbox.caseId })
      .from(outbox)
      .where(
        and(
          eq(outbox.status, 'pending'),
          lte(outbox.nextAttemptAt, now),
          or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now)),
          or(
            isNull(outbox.caseId),
            isNull(outbox.caseSeq),
            notExists(
              tx
                .select({ one: sql`1` })
                .from(earlier)
                .where(
                  and(
                    eq(earlier.caseId, outbox.caseId),
                    lt(earlier.caseSeq, outbox.caseSeq),
                    ne(earlier.status, 'delivered'),
                  ),
                ),
            ),
          ),
        ),
      )
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.createdAt), asc(outbox.id))
      .limit(opts.limit)
      .for('update', { skipLocked: true })

    const seenCases = new Set<string>()
    const ids: string[] = []
    for (const c of candidates) {
      if (c.caseId !== null) {
        if (seenCases.has(c.caseId)) continue
        seenCases.add(c.caseId)
      }
      ids.push(c.id)
    }
    if (ids.length === 0) return []
    const leased = await tx
      .update(outbox)
      .set({ leaseUntil: new Date(now.getTime() + opts.leaseMs), leasedBy: opts.instanceId })
      .where(inArray(outbox.id, ids))
      .returning()
    const order = new Map(ids.map((id, i) => [id, i]))
    return leased.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
  })
}
