import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
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
