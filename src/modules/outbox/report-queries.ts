import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { cases, outbox } from '../../db/schema/index.js'

export interface DeadLetterRow {
  id: string
  partnerRegion: string
  caseNo: string | null
  caseSeq: number | null
  typ: string
  jti: string
  attempts: number
  lastError: string | null
  createdAt: Date
  resentAt: Date | null
}

/** Dead letters, oldest first, with our case number. */
export async function findDeadLetters(
  db: Db,
  filters: { partner?: string | undefined; limit: number },
): Promise<DeadLetterRow[]> {
  return db
    .select({
      id: outbox.id,
      partnerRegion: outbox.partnerRegion,
      caseNo: cases.caseNo,
      caseSeq: outbox.caseSeq,
      typ: outbox.typ,
      jti: outbox.jti,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      resentAt: outbox.resentAt,
    })
    .from(outbox)
    .leftJoin(cases, eq(cases.id, outbox.caseId))
    .where(
      and(eq(outbox.status, 'dead'), filters.partner ? eq(outbox.partnerRegion, filters.partner) : undefined),
    )
    .orderBy(asc(outbox.createdAt), asc(outbox.id))
    .limit(filters.limit)
}

export interface PartnerQueueFigures {
  partnerRegion: string
  pending: number
  retrying: number
  oldestPendingAt: Date | null
  attempts: number
  delivered: number
  dead: number
  lastDeliveredAt: Date | null
}

const count = (where: ReturnType<typeof sql>) => sql<number>`count(*) filter (where ${where})`.mapWith(Number)

/** One aggregate pass over the outbox, per partner (outbox_partner_idx). */
export async function queueFiguresByPartner(db: Db): Promise<PartnerQueueFigures[]> {
  return db
    .select({
      partnerRegion: outbox.partnerRegion,
      pending: count(sql`${outbox.status} = 'pending'`),
      retrying: count(sql`${outbox.status} = 'pending' and ${outbox.attempts} > 0`),
      oldestPendingAt:
        sql<Date | null>`min(${outbox.createdAt}) filter (where ${outbox.status} = 'pending')`.mapWith(
          outbox.createdAt,
        ),
      attempts: sql<number>`coalesce(sum(${outbox.attempts}), 0)`.mapWith(Number),
      delivered: count(sql`${outbox.status} = 'delivered'`),
      dead: count(sql`${outbox.status} = 'dead'`),
      lastDeliveredAt: sql<Date | null>`max(${outbox.deliveredAt})`.mapWith(outbox.deliveredAt),
    })
    .from(outbox)
    .groupBy(outbox.partnerRegion)
    .orderBy(asc(outbox.partnerRegion))
}

/** For /metrics, scraped often: only pending and dead rows, which outbox_due_idx reaches directly. */
export async function queueGauges(db: Db) {
  return db
    .select({
      partnerRegion: outbox.partnerRegion,
      status: outbox.status,
      rows: sql<number>`count(*)`.mapWith(Number),
      oldest: sql<Date | null>`min(${outbox.createdAt})`.mapWith(outbox.createdAt),
    })
    .from(outbox)
    .where(sql`${outbox.status} in ('pending', 'dead')`)
    .groupBy(outbox.partnerRegion, outbox.status)
}
