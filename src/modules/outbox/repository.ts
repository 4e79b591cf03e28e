import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { insertRows } from '../../db/insert-rows.js'
import { cases, messages, outbox } from '../../db/schema/index.js'

export type OutboxRow = typeof outbox.$inferSelect

export async function insertOutbox(db: Db, row: typeof outbox.$inferInsert): Promise<void> {
  await db.insert(outbox).values(row)
}

/** Several messages in one statement (insert-rows.ts); a large payload goes as a parameter of its own. */
export async function insertOutboxRows(db: Db, rows: (typeof outbox.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return
  if (rows.every((r) => r.payload.byteLength <= 256 * 1024)) await insertRows(db, outbox, rows)
  else await db.insert(outbox).values(rows)
}

export async function findOutbox(db: Db, id: string, lock = false): Promise<OutboxRow | undefined> {
  const query = db.select().from(outbox).where(eq(outbox.id, id))
  const [row] = lock ? await query.for('update') : await query
  return row
}

/** Our case number, for the evidence row and the dead-letter list. */
export async function caseNoOf(db: Db, caseId: string | null): Promise<string | null> {
  if (!caseId) return null
  const [row] = await db.select({ caseNo: cases.caseNo }).from(cases).where(eq(cases.id, caseId))
  return row?.caseNo ?? null
}

/**
 * Proof of delivery. Applies to a pending row whoever holds its lease: a verified receipt settles
 * the row even when a slow instance's lease was taken over meanwhile (the other send is then a
 * duplicate the partner answers as such). False when the row was settled already.
 */
export async function markDelivered(
  db: Db,
  id: string,
  fields: { receiptJws: string; deliveredAt: Date },
): Promise<boolean> {
  const done = await db
    .update(outbox)
    .set({
      status: 'delivered',
      receiptJws: fields.receiptJws,
      deliveredAt: fields.deliveredAt,
      attempts: sql`${outbox.attempts} + 1`,
      lastError: null,
      leaseUntil: null,
      leasedBy: null,
    })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')))
    .returning({ id: outbox.id })
  return done.length === 1
}

/** The evidence row of a delivered message; a re-send after a crash finds it there and keeps the first. */
export async function insertOutgoingEvidence(db: Db, row: typeof messages.$inferInsert): Promise<void> {
  await db.insert(messages).values(row).onConflictDoNothing()
}

/**
 * A failed attempt: back to the queue at `nextAttemptAt`, or dead. Only by the instance holding
 * the lease, so a worker whose lease expired does not overwrite what the new holder decides.
 */
export async function recordFailure(
  db: Db,
  id: string,
  leasedBy: string,
  fields: { lastError: string; nextAttemptAt: Date; dead: boolean },
): Promise<OutboxRow | undefined> {
  const [row] = await db
    .update(outbox)
    .set({
      status: fields.dead ? 'dead' : 'pending',
      attempts: sql`${outbox.attempts} + 1`,
      lastError: fields.lastError,
      nextAttemptAt: fields.nextAttemptAt,
      leaseUntil: null,
      leasedBy: null,
    })
    .where(and(eq(outbox.id, id), eq(outbox.leasedBy, leasedBy), eq(outbox.status, 'pending')))
    .returning()
  return row
}

/** On stop: whatever this instance claimed and did not settle is claimable again at once. */
export async function releaseLeases(db: Db, leasedBy: string, ids?: string[]): Promise<number> {
  const released = await db
    .update(outbox)
    .set({ leaseUntil: null, leasedBy: null })
    .where(
      and(
        eq(outbox.leasedBy, leasedBy),
        eq(outbox.status, 'pending'),
        ids ? inArray(outbox.id, ids) : undefined,
      ),
    )
    .returning({ id: outbox.id })
  return released.length
}

/** Back to the queue as it was first written: same jti and payload, attempts 0, due `now`. */
export async function requeueDead(
  db: Db,
  ids: string[],
  now: Date,
): Promise<Pick<OutboxRow, 'id' | 'partnerRegion' | 'jti' | 'nextAttemptAt'>[]> {
  if (ids.length === 0) return []
  return db
    .update(outbox)
    .set({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      resentAt: now,
      leaseUntil: null,
      leasedBy: null,
    })
    .where(and(inArray(outbox.id, ids), eq(outbox.status, 'dead')))
    .returning({
      id: outbox.id,
      partnerRegion: outbox.partnerRegion,
      jti: outbox.jti,
      nextAttemptAt: outbox.nextAttemptAt,
    })
}

/** What an audit entry of a re-send records about the message, without its payload. */
export type DeadLetterSummary = Pick<
  OutboxRow,
  'id' | 'partnerRegion' | 'jti' | 'typ' | 'caseId' | 'caseSeq' | 'attempts' | 'lastError'
>

/** A partner's dead letters, locked for the re-send that follows. */
export async function deadLettersOfPartner(db: Db, partnerRegion: string): Promise<DeadLetterSummary[]> {
  return db
    .select({
      id: outbox.id,
      partnerRegion: outbox.partnerRegion,
      jti: outbox.jti,
      typ: outbox.typ,
      caseId: outbox.caseId,
      caseSeq: outbox.caseSeq,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
    })
    .from(outbox)
    .where(and(eq(outbox.partnerRegion, partnerRegion), eq(outbox.status, 'dead')))
    .for('update')
}

export interface DeliveryState {
  status: OutboxRow['status']
  attempts: number
  lastError: string | null
  deliveredAt: Date | null
  nextAttemptAt: Date
}

/** For the cases API: each of our events' delivery state, by the outbox id kept in case_events.message_id. */
export async function deliveryStateByMessageIds(db: Db, ids: string[]): Promise<Map<string, DeliveryState>> {
  const found = new Map<string, DeliveryState>()
  if (ids.length === 0) return found
  const rows = await db
    .select({
      id: outbox.id,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      deliveredAt: outbox.deliveredAt,
      nextAttemptAt: outbox.nextAttemptAt,
    })
    .from(outbox)
    .where(inArray(outbox.id, [...new Set(ids)]))
  for (const { id, ...state } of rows) found.set(id, state)
  return found
}
