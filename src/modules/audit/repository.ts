import { asc, desc, eq, gt, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { auditCheckpoints, auditEntries, auditHead } from '../../db/schema/index.js'
import { GENESIS_HASH } from './chain.js'

export type AuditEntryRow = typeof auditEntries.$inferSelect
export type AuditCheckpointRow = typeof auditCheckpoints.$inferSelect

/** Locks the head row for the rest of the transaction, creating it on first use. */
export async function lockHead(db: Db): Promise<{ seq: number; hash: string }> {
  await db.insert(auditHead).values({ id: 1, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing()
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1)).for('update')
  if (!head) throw new Error('audit head row missing')
  return { seq: head.seq, hash: head.hash }
}

export async function appendEntry(db: Db, row: AuditEntryRow): Promise<void> {
  await db.insert(auditEntries).values(row)
  await db.update(auditHead).set({ seq: row.seq, hash: row.hash }).where(eq(auditHead.id, 1))
}

export async function readEntries(db: Db, afterSeq: number, limit: number): Promise<AuditEntryRow[]> {
  return db
    .select()
    .from(auditEntries)
    .where(gt(auditEntries.seq, afterSeq))
    .orderBy(asc(auditEntries.seq))
    .limit(limit)
}

export async function latestEntries(db: Db, limit: number, beforeSeq?: number): Promise<AuditEntryRow[]> {
  return db
    .select()
    .from(auditEntries)
    .where(beforeSeq === undefined ? undefined : sql`${auditEntries.seq} < ${beforeSeq}`)
    .orderBy(desc(auditEntries.seq))
    .limit(limit)
}

export async function readHead(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1))
  return head ? { seq: head.seq, hash: head.hash } : undefined
}

export async function insertCheckpoint(db: Db, row: AuditCheckpointRow): Promise<void> {
  await db.insert(auditCheckpoints).values(row).onConflictDoNothing()
}

export async function allCheckpoints(db: Db): Promise<AuditCheckpointRow[]> {
  return db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq))
}
