import { and, isNotNull, lt, or } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { loginThrottle, messages, sessions, usedQueryTokens } from '../../db/schema/index.js'

/** Single-use query-token ids older than `before` (the protocol keeps message ids ≥ 7 days). */
export async function purgeQueryTokens(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(usedQueryTokens)
    .where(lt(usedQueryTokens.usedAt, before))
    .returning({ jti: usedQueryTokens.jti })
  return rows.length
}

export async function purgeSessions(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(
      or(lt(sessions.expiresAt, before), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, before))),
    )
    .returning({ id: sessions.id })
  return rows.length
}

export async function purgeThrottles(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(loginThrottle)
    .where(lt(loginThrottle.lastFailureAt, before))
    .returning({ key: loginThrottle.key })
  return rows.length
}

/** Drops message bodies past retention; the evidence (jti, digest, receipt, times) stays. */
export async function dropMessageBodies(db: Db, before: Date): Promise<number> {
  const rows = await db
    .update(messages)
    .set({ jws: null })
    .where(and(isNotNull(messages.jws), lt(messages.createdAt, before)))
    .returning({ id: messages.id })
  return rows.length
}
