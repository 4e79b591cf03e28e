import { asc, eq } from 'drizzle-orm'
import { cases, outbox } from '../../src/db/schema/index.js'
import type { TestGateway } from './gateway.js'

/** The outbox rows of one case (by our case number), in delivery order. */
export async function outboxOf(gw: TestGateway, caseNo: string) {
  const db = gw.database.db
  const [row] = await db.select({ id: cases.id }).from(cases).where(eq(cases.caseNo, caseNo))
  if (!row) throw new Error(`no case ${caseNo}`)
  return db.select().from(outbox).where(eq(outbox.caseId, row.id)).orderBy(asc(outbox.caseSeq))
}
