import { and, eq, inArray, or } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { insertRows } from '../../db/insert-rows.js'
import { messages, usedQueryTokens } from '../../db/schema/index.js'

export type MessageRow = typeof messages.$inferSelect

/**
 * Claims (partner, direction, jti). Returns the new row's id, or undefined when the jti is
 * already there; on PostgreSQL a concurrent claimant waits for the first to commit, so exactly
 * one of many identical messages gets through.
 */
export async function claimMessage(db: Db, row: typeof messages.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(messages).values(row).onConflictDoNothing().returning({ id: messages.id })
  return inserted.length === 1
}

/** Which of these (partner, jti) of inbound messages are taken already: `${partnerRegion}\n${jti}`. */
export async function usedInboundJtis(
  db: Db,
  pairs: readonly { partnerRegion: string; jti: string }[],
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set()
  const byPartner = new Map<string, string[]>()
  for (const p of pairs) byPartner.set(p.partnerRegion, [...(byPartner.get(p.partnerRegion) ?? []), p.jti])
  const rows = await db
    .select({ partnerRegion: messages.partnerRegion, jti: messages.jti })
    .from(messages)
    .where(
      or(
        ...[...byPartner].map(([region, jtis]) =>
          and(eq(messages.partnerRegion, region), eq(messages.direction, 'in'), inArray(messages.jti, jtis)),
        ),
      ),
    )
  return new Set(rows.map((r) => `${r.partnerRegion}\n${r.jti}`))
}

/**
 * Evidence rows written whole, receipt included (a batch of intakes that checked their jtis
 * inside the same transaction). A jti taken meanwhile is a unique violation: the caller's
 * transaction fails rather than claiming it twice.
 */
export async function insertMessages(db: Db, rows: (typeof messages.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return
  // Big messages as parameters of their own, not copied into one JSON document (insert-rows.ts).
  if (rows.every((r) => (r.jws?.length ?? 0) <= 256 * 1024)) await insertRows(db, messages, rows)
  else await db.insert(messages).values(rows)
}

export async function findMessage(db: Db, partnerRegion: string, direction: 'in' | 'out', jti: string) {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.partnerRegion, partnerRegion),
        eq(messages.direction, direction),
        eq(messages.jti, jti),
      ),
    )
  return row
}

export async function completeMessage(
  db: Db,
  id: string,
  fields: { caseNo: string; receiptJws: string; receivedAt: Date },
): Promise<void> {
  await db.update(messages).set(fields).where(eq(messages.id, id))
}

/** A status-query token is good once: false when it was used before. */
export async function useQueryToken(db: Db, partnerRegion: string, jti: string, at: Date): Promise<boolean> {
  const inserted = await db
    .insert(usedQueryTokens)
    .values({ partnerRegion, jti, usedAt: at })
    .onConflictDoNothing()
    .returning({ jti: usedQueryTokens.jti })
  return inserted.length === 1
}
