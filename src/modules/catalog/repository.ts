import { and, arrayContains, asc, count, eq, gt, ilike, inArray, or, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { departments, items } from '../../db/schema/index.js'
import type { Department, Item, ItemFilters, ItemStatus } from './model.js'

type ItemRow = typeof items.$inferSelect

export function toItem(row: ItemRow): Item {
  return {
    code: row.code,
    basicCode: row.basicCode,
    name: row.name,
    department: row.departmentCode,
    modes: row.modes as Item['modes'],
    promisedDays: row.promisedDays,
    status: row.status,
    township: row.township,
    crossCity: row.crossCity,
  }
}

/** LIKE wildcards in user text are literal. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`)

function whereOf(f: ItemFilters): SQL | undefined {
  const parts: (SQL | undefined)[] = [
    f.department ? eq(items.departmentCode, f.department) : undefined,
    f.status ? eq(items.status, f.status) : undefined,
    f.mode ? arrayContains(items.modes, [f.mode]) : undefined,
    f.crossCity === undefined ? undefined : eq(items.crossCity, f.crossCity),
    f.township === undefined ? undefined : eq(items.township, f.township),
    f.q
      ? or(ilike(items.name, `%${likeEscape(f.q)}%`), eq(items.code, f.q), eq(items.basicCode, f.q))
      : undefined,
    f.partner
      ? sql`${items.code} in (select ai.item_code from agreement_items ai join agreements a on a.id = ai.agreement_id
            where a.partner_region = ${f.partner} and ai.item_code is not null)`
      : undefined,
  ]
  return and(...parts.filter((p): p is SQL => p !== undefined))
}

export async function findItems(
  db: Db,
  f: ItemFilters,
  page: { limit: number; after?: string },
): Promise<Item[]> {
  const rows = await db
    .select()
    .from(items)
    .where(and(whereOf(f), page.after ? gt(items.code, page.after) : undefined))
    .orderBy(asc(items.code))
    .limit(page.limit)
  return rows.map(toItem)
}

export async function countItems(db: Db, f: ItemFilters): Promise<number> {
  const [row] = await db.select({ n: count() }).from(items).where(whereOf(f))
  return row?.n ?? 0
}

export async function findItem(db: Db, code: string): Promise<Item | undefined> {
  const [row] = await db.select().from(items).where(eq(items.code, code))
  return row ? toItem(row) : undefined
}

export async function findItemByBasicCode(db: Db, basicCode: string): Promise<Item | undefined> {
  const [row] = await db.select().from(items).where(eq(items.basicCode, basicCode))
  return row ? toItem(row) : undefined
}

export async function setItemStatus(db: Db, code: string, status: ItemStatus, at: Date): Promise<void> {
  await db.update(items).set({ status, updatedAt: at }).where(eq(items.code, code))
}

export async function listDepartments(db: Db): Promise<Department[]> {
  return db.select().from(departments).orderBy(asc(departments.code))
}

export async function departmentCodes(db: Db): Promise<Set<string>> {
  const rows = await db.select({ code: departments.code }).from(departments)
  return new Set(rows.map((r) => r.code))
}

export async function upsertDepartments(db: Db, rows: Department[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insert(departments)
    .values(rows)
    .onConflictDoUpdate({ target: departments.code, set: { name: sql`excluded.name` } })
}

/** Inserts or updates by item code, in chunks (a statement has at most 65,535 parameters). */
export async function upsertItems(db: Db, rows: Item[], at: Date): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({
      code: r.code,
      basicCode: r.basicCode,
      name: r.name,
      departmentCode: r.department,
      modes: r.modes,
      promisedDays: r.promisedDays,
      status: r.status,
      township: r.township,
      crossCity: r.crossCity,
      updatedAt: at,
    }))
    await db
      .insert(items)
      .values(chunk)
      .onConflictDoUpdate({
        target: items.code,
        set: {
          basicCode: sql`excluded.basic_code`,
          name: sql`excluded.name`,
          departmentCode: sql`excluded.department_code`,
          modes: sql`excluded.modes`,
          promisedDays: sql`excluded.promised_days`,
          status: sql`excluded.status`,
          township: sql`excluded.township`,
          crossCity: sql`excluded.cross_city`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
  }
}

export async function countAllItems(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(items)
  return row?.n ?? 0
}

/** The items with these codes (unknown codes are simply absent), for checks over many codes at once. */
export async function findItemsByCodes(db: Db, codes: readonly string[]): Promise<Map<string, Item>> {
  const unique = [...new Set(codes)]
  if (unique.length === 0) return new Map()
  const rows = await db.select().from(items).where(inArray(items.code, unique))
  return new Map(rows.map((r) => [r.code, toItem(r)]))
}

/**
 * Existing items that share a code or a basic code with any of `keys`, looked up in chunks so
 * a file of many thousands of rows stays under the 65,535 parameters of one statement.
 */
export async function findItemsSharingCodes(
  db: Db,
  keys: readonly { code: string; basicCode: string }[],
): Promise<Item[]> {
  const found = new Map<string, Item>()
  for (let i = 0; i < keys.length; i += 5000) {
    const chunk = keys.slice(i, i + 5000)
    const codes = chunk.map((k) => k.code)
    const basicCodes = chunk.map((k) => k.basicCode)
    const rows = await db
      .select()
      .from(items)
      .where(or(inArray(items.code, codes), inArray(items.basicCode, basicCodes)))
    for (const row of rows) found.set(row.code, toItem(row))
  }
  return [...found.values()]
}
