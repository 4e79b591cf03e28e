import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { agreementVersions } from '../../db/schema/index.js'
import type { Agreement, AgreementVersion, AgreementVersionSummary } from './model.js'

/** The kept history: one row per version, each a whole snapshot of the agreement. */

export async function insertVersion(db: Db, v: AgreementVersion & { agreementId: string }): Promise<void> {
  await db.insert(agreementVersions).values({
    agreementId: v.agreementId,
    version: v.version,
    snapshot: v.snapshot,
    change: v.change,
    changedBy: v.changedBy,
    changedAt: new Date(v.changedAt),
  })
}

export async function listVersionSummaries(db: Db, id: string): Promise<AgreementVersionSummary[]> {
  const rows = await db
    .select({
      version: agreementVersions.version,
      change: agreementVersions.change,
      changedBy: agreementVersions.changedBy,
      changedAt: agreementVersions.changedAt,
    })
    .from(agreementVersions)
    .where(eq(agreementVersions.agreementId, id))
    .orderBy(asc(agreementVersions.version))
  return rows.map((r) => ({ ...r, changedAt: r.changedAt.toISOString() }))
}

export async function listVersions(db: Db, id: string): Promise<AgreementVersion[]> {
  const rows = await db
    .select()
    .from(agreementVersions)
    .where(eq(agreementVersions.agreementId, id))
    .orderBy(asc(agreementVersions.version))
  return rows.map((r) => ({
    version: r.version,
    change: r.change,
    changedBy: r.changedBy,
    changedAt: r.changedAt.toISOString(),
    snapshot: r.snapshot as Agreement,
  }))
}
