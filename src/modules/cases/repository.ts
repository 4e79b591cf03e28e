import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { insertRows } from '../../db/insert-rows.js'
import {
  agreementItems,
  agreements,
  caseEvents,
  cases,
  departments,
  items,
  materials,
} from '../../db/schema/index.js'

export type CaseRow = typeof cases.$inferSelect
export type CaseEventRow = typeof caseEvents.$inferSelect
export type MaterialRow = typeof materials.$inferSelect

export async function nextCaseNumber(db: Db): Promise<number> {
  const result = await db.execute(sql`select nextval('case_no_seq')::int as n`)
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[]
  return rows[0]?.n as number
}

/**
 * The Xinfeng item the agreement's inbound entry for the partner's item code names, with what
 * intake needs of it and its department's name (findInboundItems for one pair).
 */
export async function findInboundItem(db: Db, agreementId: string, partnerItemCode: string) {
  const [row] = await findInboundItems(db, [{ agreementId, partnerItemCode }])
  return row
}

export async function findOutboundItem(db: Db, agreementId: string, partnerItemCode: string) {
  const [row] = await db
    .select()
    .from(agreementItems)
    .where(
      and(
        eq(agreementItems.agreementId, agreementId),
        eq(agreementItems.direction, 'outbound'),
        eq(agreementItems.partnerItemCode, partnerItemCode),
      ),
    )
  return row
}

/** The inbound items of several (agreement, partner item code) pairs at once: one query for a batch. */
export async function findInboundItems(
  db: Db,
  pairs: readonly { agreementId: string; partnerItemCode: string }[],
) {
  if (pairs.length === 0) return []
  const byAgreement = groupBy(
    pairs,
    (p) => p.agreementId,
    (p) => p.partnerItemCode,
  )
  const rows = await db
    .select({
      agreementId: agreementItems.agreementId,
      partnerItemCode: agreementItems.partnerItemCode,
      code: items.code,
      name: items.name,
      department: items.departmentCode,
      promisedDays: items.promisedDays,
      status: items.status,
      departmentName: departments.name,
    })
    .from(agreementItems)
    .innerJoin(items, eq(items.code, agreementItems.itemCode))
    .leftJoin(departments, eq(departments.code, items.departmentCode))
    .where(
      or(
        ...[...byAgreement].map(([agreementId, codes]) =>
          and(
            eq(agreementItems.agreementId, agreementId),
            eq(agreementItems.direction, 'inbound'),
            inArray(agreementItems.partnerItemCode, codes),
          ),
        ),
      ),
    )
  return rows.map((r) => ({ ...r, departmentName: r.departmentName ?? undefined }))
}

/** Which of these partner case numbers are inbound cases already: `${partnerRegion}\n${partnerCaseNo}`. */
export async function existingInboundCaseNos(
  db: Db,
  pairs: readonly { partnerRegion: string; partnerCaseNo: string }[],
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set()
  const byPartner = groupBy(
    pairs,
    (p) => p.partnerRegion,
    (p) => p.partnerCaseNo,
  )
  const rows = await db
    .select({ partnerRegion: cases.partnerRegion, partnerCaseNo: cases.partnerCaseNo })
    .from(cases)
    .where(
      or(
        ...[...byPartner].map(([region, nos]) =>
          and(
            eq(cases.partnerRegion, region),
            eq(cases.direction, 'inbound'),
            inArray(cases.partnerCaseNo, nos),
          ),
        ),
      ),
    )
  return new Set(rows.map((r) => `${r.partnerRegion}\n${r.partnerCaseNo}`))
}

/** `n` numbers of our case-number sequence, in ascending order. */
export async function nextCaseNumbers(db: Db, n: number): Promise<number[]> {
  const result = await db.execute(
    sql`select nextval('case_no_seq')::int as n from generate_series(1, ${n}::int)`,
  )
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[]
  return rows.map((r) => r.n).sort((a, b) => a - b)
}

function groupBy<T>(
  list: readonly T[],
  key: (t: T) => string,
  value: (t: T) => string,
): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const t of list) {
    const k = key(t)
    const values = out.get(k) ?? []
    values.push(value(t))
    out.set(k, values)
  }
  return out
}

export async function departmentName(db: Db, code: string): Promise<string | undefined> {
  const [row] = await db
    .select({ name: departments.name })
    .from(departments)
    .where(eq(departments.code, code))
  return row?.name
}

export async function findCaseByPartnerNo(
  db: Db,
  partnerRegion: string,
  direction: 'inbound' | 'outbound',
  partnerCaseNo: string,
): Promise<CaseRow | undefined> {
  const [row] = await db
    .select()
    .from(cases)
    .where(
      and(
        eq(cases.partnerRegion, partnerRegion),
        eq(cases.direction, direction),
        eq(cases.partnerCaseNo, partnerCaseNo),
      ),
    )
  return row
}

export async function findCaseByNo(db: Db, caseNo: string, lock = false): Promise<CaseRow | undefined> {
  const q = db.select().from(cases).where(eq(cases.caseNo, caseNo))
  const [row] = lock ? await q.for('update') : await q
  return row
}

/** Locks the case row: events of one case are numbered and applied one at a time. */
export async function lockCase(db: Db, id: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).for('update')
  return row
}

export async function insertCase(db: Db, row: typeof cases.$inferInsert): Promise<void> {
  await db.insert(cases).values(row)
}

/** Several new cases in one statement (insert-rows.ts). */
export async function insertCases(db: Db, rows: (typeof cases.$inferInsert)[]): Promise<void> {
  await insertRows(db, cases, rows)
}

export async function updateCase(
  db: Db,
  id: string,
  fields: Partial<typeof cases.$inferInsert>,
): Promise<void> {
  await db.update(cases).set(fields).where(eq(cases.id, id))
}

/**
 * postgres.js sends bytea as hex text and copies the message once more on the way out: about 6
 * bytes of memory per file byte while the statement is built. So the rows go in statements of at
 * most MATERIAL_BATCH_BYTES of content (any one file alone), which bounds that to a few files'
 * worth instead of a whole case's: 20 MiB of files in one statement cost ~190 MiB of memory.
 */
const MATERIAL_BATCH_BYTES = 2 * 1024 * 1024

export async function insertMaterials(db: Db, rows: (typeof materials.$inferInsert)[]): Promise<void> {
  let batch: (typeof materials.$inferInsert)[] = []
  let bytes = 0
  for (const row of rows) {
    if (batch.length > 0 && bytes + row.content.byteLength > MATERIAL_BATCH_BYTES) {
      await db.insert(materials).values(batch)
      batch = []
      bytes = 0
    }
    batch.push(row)
    bytes += row.content.byteLength
  }
  if (batch.length > 0) await db.insert(materials).values(batch)
}

/**
 * The materials of a batch of intakes: small files (scans of a few kilobytes, the usual case)
 * with their rows in one statement (insert-rows.ts), anything larger as insertMaterials does.
 */
export async function insertSmallMaterials(db: Db, rows: (typeof materials.$inferInsert)[]): Promise<void> {
  if (rows.every((r) => r.content.byteLength <= 64 * 1024)) await insertRows(db, materials, rows)
  else await insertMaterials(db, rows)
}

export async function insertEvent(db: Db, row: typeof caseEvents.$inferInsert): Promise<void> {
  await db.insert(caseEvents).values(row)
}

/** Several events in one statement (insert-rows.ts). */
export async function insertEvents(db: Db, rows: (typeof caseEvents.$inferInsert)[]): Promise<void> {
  await insertRows(db, caseEvents, rows)
}

export async function lastEvent(
  db: Db,
  caseId: string,
  side: 'ours' | 'theirs',
): Promise<CaseEventRow | undefined> {
  const [row] = await db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.side, side)))
    .orderBy(desc(caseEvents.seq))
    .limit(1)
  return row
}

export async function findEvent(db: Db, caseId: string, side: 'ours' | 'theirs', seq: number) {
  const [row] = await db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.side, side), eq(caseEvents.seq, seq)))
  return row
}

/** Both sides' events in the order they happened. */
export async function caseTimeline(db: Db, caseId: string): Promise<CaseEventRow[]> {
  return db
    .select()
    .from(caseEvents)
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.at), asc(caseEvents.side), asc(caseEvents.seq))
}

export async function caseMaterials(db: Db, caseId: string): Promise<Omit<MaterialRow, 'content'>[]> {
  return db
    .select({
      id: materials.id,
      caseId: materials.caseId,
      eventId: materials.eventId,
      code: materials.code,
      name: materials.name,
      original: materials.original,
      fileName: materials.fileName,
      mediaType: materials.mediaType,
      size: materials.size,
      sha256: materials.sha256,
    })
    .from(materials)
    .where(eq(materials.caseId, caseId))
    .orderBy(asc(materials.code))
}

export async function findMaterial(db: Db, caseId: string, id: string): Promise<MaterialRow | undefined> {
  const [row] = await db
    .select()
    .from(materials)
    .where(and(eq(materials.caseId, caseId), eq(materials.id, id)))
  return row
}

/** The agreement a case travels under: where and in which format its messages go. */
export async function caseAgreement(db: Db, agreementId: string) {
  const [row] = await db
    .select({ id: agreements.id, format: agreements.format, partnerRegion: agreements.partnerRegion })
    .from(agreements)
    .where(eq(agreements.id, agreementId))
  return row
}

export interface CaseListFilters {
  department?: string | undefined
  state?: string | undefined
  /** Any of these states (the console's inbox tabs). */
  states?: readonly string[] | undefined
  direction?: 'inbound' | 'outbound' | undefined
  partner?: string | undefined
  item?: string | undefined
  overdue?: boolean | undefined
  q?: string | undefined
  /** Beijing date today, for the overdue rule. */
  today: string
}

/** Overdue: a running clock past its promised date, or a clock that stopped while already late. */
export function overdueSql(today: string) {
  return sql`((${cases.clockState} = 'running' and ${cases.promisedDate} < ${today}) or ${cases.overdueFrozen} = 1)`
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`)

export async function findCases(
  db: Db,
  f: CaseListFilters,
  page: { limit: number; before?: { receivedAt: Date; id: string } },
): Promise<CaseRow[]> {
  const conditions = [
    f.department ? eq(cases.departmentCode, f.department) : undefined,
    f.state ? eq(cases.state, f.state) : undefined,
    f.states?.length ? inArray(cases.state, [...f.states]) : undefined,
    f.direction ? eq(cases.direction, f.direction) : undefined,
    f.partner ? eq(cases.partnerRegion, f.partner) : undefined,
    f.item ? sql`(${cases.itemCode} = ${f.item} or ${cases.partnerItemCode} = ${f.item})` : undefined,
    f.overdue === undefined ? undefined : f.overdue ? overdueSql(f.today) : sql`not ${overdueSql(f.today)}`,
    f.q
      ? sql`(${cases.caseNo} = ${f.q} or ${cases.partnerCaseNo} = ${f.q} or ${cases.applicantName} like ${`%${escapeLike(f.q)}%`} or ${cases.itemName} like ${`%${escapeLike(f.q)}%`})`
      : undefined,
    page.before
      ? sql`(${cases.receivedAt}, ${cases.id}) < (${page.before.receivedAt.toISOString()}::timestamptz, ${page.before.id})`
      : undefined,
  ]
  return db
    .select()
    .from(cases)
    .where(and(...conditions))
    .orderBy(desc(cases.receivedAt), desc(cases.id))
    .limit(page.limit)
}

/** The handler's case number, as its receipt for our outbound case states it (first word wins). */
export async function setPartnerCaseNoIfUnset(db: Db, caseId: string, partnerCaseNo: string): Promise<void> {
  await db
    .update(cases)
    .set({ partnerCaseNo })
    .where(and(eq(cases.id, caseId), sql`${cases.partnerCaseNo} is null`))
}
