import { randomUUID } from 'node:crypto'
import { and, asc, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { agreementItems, agreementKeys, agreements } from '../../db/schema/index.js'
import type {
  Agreement,
  AgreementItem,
  AgreementStatus,
  NewAgreement,
  PartnerKey,
  PublicJwk,
} from './model.js'

export type AgreementRow = typeof agreements.$inferSelect
export type AgreementKeyRow = typeof agreementKeys.$inferSelect
type ItemRow = typeof agreementItems.$inferSelect

function toItem(row: ItemRow): AgreementItem {
  return row.direction === 'inbound'
    ? { direction: 'inbound', itemCode: row.itemCode as string, partnerItemCode: row.partnerItemCode }
    : {
        direction: 'outbound',
        partnerItemCode: row.partnerItemCode,
        name: row.name as string,
        promisedDays: row.promisedDays as number,
      }
}

export function toAgreement(row: AgreementRow, keys: AgreementKeyRow[], items: ItemRow[]): Agreement {
  return {
    id: row.id,
    partner: { region: row.partnerRegion, name: row.partnerName },
    format: row.format,
    endpoint: row.endpoint,
    status: row.status,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    maxPayloadBytes: row.maxPayloadBytes,
    version: row.version,
    keys: { keys: keys.map((k) => k.jwk as PublicJwk) },
    items: items.map(toItem),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

function keyRows(agreementId: string, keys: PartnerKey[]) {
  return keys.map((k, position) => ({ agreementId, position, ...k }))
}

export async function insertAgreement(
  db: Db,
  a: NewAgreement & { id: string; status: AgreementStatus; version: number; at: Date },
): Promise<void> {
  await db.insert(agreements).values({
    id: a.id,
    partnerRegion: a.partner.region,
    partnerName: a.partner.name,
    format: a.format,
    endpoint: a.endpoint,
    status: a.status,
    validFrom: a.validFrom,
    validUntil: a.validUntil,
    maxPayloadBytes: a.maxPayloadBytes,
    version: a.version,
    createdAt: a.at,
    updatedAt: a.at,
  })
  await db.insert(agreementKeys).values(keyRows(a.id, a.keys))
  for (let i = 0; i < a.items.length; i += 1000) {
    const chunk = a.items.slice(i, i + 1000).map((item, n) => ({
      id: randomUUID(),
      agreementId: a.id,
      position: i + n,
      direction: item.direction,
      partnerItemCode: item.partnerItemCode,
      ...(item.direction === 'inbound'
        ? { itemCode: item.itemCode }
        : { name: item.name, promisedDays: item.promisedDays }),
    }))
    await db.insert(agreementItems).values(chunk)
  }
}

/** The row alone; `lock` holds it for the rest of the transaction, so changes to one agreement queue up. */
export async function findAgreementRow(db: Db, id: string, lock = false): Promise<AgreementRow | undefined> {
  const query = db.select().from(agreements).where(eq(agreements.id, id))
  const [row] = lock ? await query.for('update') : await query
  return row
}

async function assemble(db: Db, rows: AgreementRow[]): Promise<Agreement[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const keys = await db
    .select()
    .from(agreementKeys)
    .where(inArray(agreementKeys.agreementId, ids))
    .orderBy(asc(agreementKeys.position))
  const items = await db
    .select()
    .from(agreementItems)
    .where(inArray(agreementItems.agreementId, ids))
    .orderBy(asc(agreementItems.position))
  return rows.map((r) =>
    toAgreement(
      r,
      keys.filter((k) => k.agreementId === r.id),
      items.filter((i) => i.agreementId === r.id),
    ),
  )
}

export async function loadAgreement(db: Db, id: string): Promise<Agreement | undefined> {
  const row = await findAgreementRow(db, id)
  return row ? (await assemble(db, [row]))[0] : undefined
}

export async function loadAgreements(
  db: Db,
  filters: { partner?: string | undefined; status?: AgreementStatus | undefined },
): Promise<Agreement[]> {
  const where: SQL[] = []
  if (filters.partner) where.push(eq(agreements.partnerRegion, filters.partner))
  if (filters.status) where.push(eq(agreements.status, filters.status))
  const rows = await db
    .select()
    .from(agreements)
    .where(and(...where))
    .orderBy(asc(agreements.partnerRegion), desc(agreements.createdAt), asc(agreements.id))
  return assemble(db, rows)
}

/** Another agreement of the same partner that is active now, if any. */
export async function findOtherActive(db: Db, region: string, exceptId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: agreements.id })
    .from(agreements)
    .where(
      and(eq(agreements.partnerRegion, region), eq(agreements.status, 'active'), ne(agreements.id, exceptId)),
    )
  return row?.id
}

export async function setAgreementStatus(
  db: Db,
  id: string,
  change: { status: AgreementStatus; version: number; at: Date },
): Promise<void> {
  await db
    .update(agreements)
    .set({ status: change.status, version: change.version, updatedAt: change.at })
    .where(eq(agreements.id, id))
}

export async function replaceKeys(
  db: Db,
  id: string,
  keys: PartnerKey[],
  change: { version: number; at: Date },
): Promise<void> {
  await db.delete(agreementKeys).where(eq(agreementKeys.agreementId, id))
  await db.insert(agreementKeys).values(keyRows(id, keys))
  await db
    .update(agreements)
    .set({ version: change.version, updatedAt: change.at })
    .where(eq(agreements.id, id))
}

/** The partner's active agreement, else its most recent one, with its keys (the trust store's query). */
export async function findPartnerAgreement(
  db: Db,
  region: string,
): Promise<{ row: AgreementRow; keys: AgreementKeyRow[] } | undefined> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(eq(agreements.partnerRegion, region))
    .orderBy(desc(sql`${agreements.status} = 'active'`), desc(agreements.createdAt), desc(agreements.id))
    .limit(1)
  if (!row) return undefined
  const keys = await db
    .select()
    .from(agreementKeys)
    .where(eq(agreementKeys.agreementId, row.id))
    .orderBy(asc(agreementKeys.position))
  return { row, keys }
}

/** A unique violation of `constraint` (drizzle wraps the driver's error; the SQLSTATE is in `cause`). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const cause = (err as { cause?: Record<string, unknown> })?.cause ?? (err as Record<string, unknown>)
  if (cause?.code !== '23505') return false
  const name = cause.constraint_name ?? cause.constraint
  return name === undefined || name === constraint
}
