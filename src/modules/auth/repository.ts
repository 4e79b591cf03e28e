import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { gatewaySettings, loginThrottle, sessions, users } from '../../db/schema/index.js'

export type UserRow = typeof users.$inferSelect

export async function findUserByName(db: Db, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username))
  return row
}

export async function countAdmins(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.role, 'admin'))
  return row?.n ?? 0
}

export async function insertUser(db: Db, row: typeof users.$inferInsert): Promise<void> {
  await db.insert(users).values(row)
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db.select().from(users).orderBy(users.username)
}

export async function insertSession(db: Db, row: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(row)
}

/** The live session and its user, or nothing when expired, revoked or disabled. */
export async function findLiveSession(db: Db, sessionId: string, now: Date) {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        eq(users.disabled, false),
      ),
    )
  return row
}

export async function revokeSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, sessionId))
}

export async function readThrottle(db: Db, key: string) {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key))
  return row
}

export async function writeThrottle(db: Db, row: typeof loginThrottle.$inferInsert): Promise<void> {
  await db
    .insert(loginThrottle)
    .values(row)
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: { failures: row.failures, lastFailureAt: row.lastFailureAt, lockedUntil: row.lockedUntil ?? null },
    })
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key))
}

export async function readSetting(db: Db, key: string): Promise<string | undefined> {
  const [row] = await db.select().from(gatewaySettings).where(eq(gatewaySettings.key, key))
  return row?.value
}

/** First writer wins, so instances starting together agree on one value. */
export async function initSetting(db: Db, key: string, value: string): Promise<string> {
  await db.insert(gatewaySettings).values({ key, value }).onConflictDoNothing()
  return (await readSetting(db, key)) ?? value
}

export async function writeSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insert(gatewaySettings)
    .values({ key, value })
    .onConflictDoUpdate({ target: gatewaySettings.key, set: { value } })
}
