import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../../db/client.js'
import { calendarOverrides } from '../../../db/schema/index.js'
import type { CalendarOverride } from '../working-calendar.js'

type OverrideRow = typeof calendarOverrides.$inferSelect

/** An override as the API shows it: what the calendar uses, plus who entered it and when. */
export interface StoredOverride {
  date: string
  kind: 'holiday' | 'workday'
  name: string | null
  createdBy: string
  createdAt: string
}

const toStored = (row: OverrideRow): StoredOverride => ({
  date: row.date,
  kind: row.kind,
  name: row.name,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
})

export async function selectOverrides(db: Db): Promise<StoredOverride[]> {
  const rows = await db.select().from(calendarOverrides).orderBy(asc(calendarOverrides.date))
  return rows.map(toStored)
}

/** The overrides in the shape createWorkingCalendar takes (no bookkeeping columns). */
export async function selectCalendarOverrides(db: Db): Promise<CalendarOverride[]> {
  const rows = await db
    .select({ date: calendarOverrides.date, kind: calendarOverrides.kind, name: calendarOverrides.name })
    .from(calendarOverrides)
    .orderBy(asc(calendarOverrides.date))
  return rows.map((r) => (r.name === null ? { date: r.date, kind: r.kind } : { ...r, name: r.name }))
}

export async function findOverride(db: Db, date: string): Promise<StoredOverride | undefined> {
  const [row] = await db.select().from(calendarOverrides).where(eq(calendarOverrides.date, date))
  return row ? toStored(row) : undefined
}

/** Inserts or replaces the override of `date` (one per date), returning what is stored. */
export async function upsertOverride(
  db: Db,
  row: { date: string; kind: 'holiday' | 'workday'; name: string | null; createdBy: string; createdAt: Date },
): Promise<StoredOverride> {
  const [stored] = await db
    .insert(calendarOverrides)
    .values(row)
    .onConflictDoUpdate({
      target: calendarOverrides.date,
      set: { kind: row.kind, name: row.name, createdBy: row.createdBy, createdAt: row.createdAt },
    })
    .returning()
  if (!stored) throw new Error('upsert returned no row')
  return toStored(stored)
}

/** True when there was an override to delete. */
export async function removeOverride(db: Db, date: string): Promise<boolean> {
  const rows = await db
    .delete(calendarOverrides)
    .where(eq(calendarOverrides.date, date))
    .returning({ date: calendarOverrides.date })
  return rows.length > 0
}
