import { and, eq, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import { caseStats, cases, items, workingDaysKey } from '../../db/schema/index.js'
import { OPEN_STATES } from '../cases/lifecycle.js'
import type { Counts, Histogram } from './figures.js'
import { nextMonth, periodRanges } from './periods.js'
import {
  type Cols,
  caseItem,
  caseMonth,
  type Dimension,
  groupingOf,
  type Part,
  total,
  WD_KEYS,
  wdColumn,
} from './sql-parts.js'

export type { Dimension, Group } from './sql-parts.js'

/** Which cases: months of receipt (inclusive, `YYYY-MM`) and equalities; absent = all. */
export interface StatsFilter {
  from?: string | undefined
  to?: string | undefined
  partner?: string | undefined
  department?: string | undefined
  /** A Xinfeng item code; '' = the cases without one (outbound). */
  item?: string | undefined
  direction?: 'inbound' | 'outbound' | undefined
}

/** The counters a case counts in: its item, department, partner, direction and month of receipt. */
export interface CaseKey {
  itemCode: string
  departmentCode: string
  partnerRegion: string
  direction: 'inbound' | 'outbound'
  month: string
}

/**
 * Adds (or with negative numbers removes) one case to its three counters rows (`month`,
 * `item_month`, `item_year`), creating them on first use, in one statement; `workingDays`: it
 * concluded, using that many. The rows are always written in the same order, so two
 * transactions never wait for each other crosswise.
 */
export async function addCounts(db: Db, key: CaseKey, delta: Partial<Counts>, workingDays?: number) {
  const d = { open: 0, concluded: 0, rejected: 0, withdrawn: 0, concludedLate: 0, ...delta }
  const wd = workingDays === undefined ? undefined : workingDaysKey(workingDays)
  const common = { ...d, ...(wd ? { [wd]: 1 } : {}) }
  const { itemCode, departmentCode, partnerRegion, direction, month } = key
  const base = { departmentCode, partnerRegion, direction, ...common }
  const s = caseStats
  const plus = (col: PgColumn, n: number) => sql`${col} + ${n}`
  await db
    .insert(s)
    .values([
      { kind: 'month', period: month, itemCode: '', ...base },
      { kind: 'item_month', period: month, itemCode, ...base },
      { kind: 'item_year', period: month.slice(0, 4), itemCode, ...base },
    ])
    .onConflictDoUpdate({
      target: [s.kind, s.period, s.itemCode, s.departmentCode, s.partnerRegion, s.direction],
      set: {
        open: plus(s.open, d.open),
        concluded: plus(s.concluded, d.concluded),
        rejected: plus(s.rejected, d.rejected),
        withdrawn: plus(s.withdrawn, d.withdrawn),
        concludedLate: plus(s.concludedLate, d.concludedLate),
        ...(wd ? { [wd]: plus(wdColumn(wd), 1) } : {}),
      },
    })
}

const is = (col: Part, value: string) => sql`${col} = ${value}`
const monthStart = (month: string) => new Date(`${month}-01T00:00:00+08:00`)

/** The equalities of a filter, on the counters or on the cases table. */
function equalities(c: Cols & { direction: PgColumn }, f: StatsFilter, item: (code: string) => SQL) {
  return [
    f.partner !== undefined ? is(c.partner, f.partner) : undefined,
    f.department !== undefined ? is(c.department, f.department) : undefined,
    f.item !== undefined ? item(f.item) : undefined,
    f.direction !== undefined ? eq(c.direction, f.direction) : undefined,
  ]
}

const COUNTER_DIMS: Cols = {
  item: caseStats.itemCode,
  department: caseStats.departmentCode,
  partner: caseStats.partnerRegion,
  month: caseStats.period,
}

/**
 * Counts and working-days histogram of the selection (`withTotal`) and of each value of `dims`.
 * Reads `month` rows unless items are involved (an item filter or dimension), then item rows:
 * whole years from `item_year`, the rest from `item_month` (periods.ts). Item rows have no month
 * dimension, so `month` goes with the all-items rows only.
 */
export async function sumCounts(db: Db, f: StatsFilter, dims: readonly Dimension[], withTotal = true) {
  const s = caseStats
  const byItems = f.item !== undefined || dims.includes('item')
  if (byItems && dims.includes('month')) throw new Error('item rows have no month dimension')
  const between = (kind: 'month' | 'item_month' | 'item_year', [a, b]: [string, string]) =>
    and(eq(s.kind, kind), gte(s.period, a), sql`${s.period} <= ${b}`)
  let periods: SQL | undefined
  if (byItems) {
    const ranges = periodRanges(f.from, f.to)
    periods = or(
      ranges.years ? between('item_year', ranges.years) : undefined,
      ...ranges.months.map((r) => between('item_month', r)),
    )
  } else {
    periods = between('month', [f.from ?? '0000-01', f.to ?? '9999-12'])
  }
  const grouping = groupingOf(dims, COUNTER_DIMS, withTotal)
  const rows = await db
    .select({
      g: grouping.g,
      value: grouping.value,
      open: total(s.open),
      concluded: total(s.concluded),
      rejected: total(s.rejected),
      withdrawn: total(s.withdrawn),
      concludedLate: total(s.concludedLate),
      // One int[] rather than 62 columns: a fraction of the decoding work on the way back.
      histogram: sql<number[]>`array[${sql.join(
        WD_KEYS.map((k) => total(wdColumn(k))),
        sql`, `,
      )}]`,
    })
    .from(s)
    .where(
      and(
        periods,
        ...equalities({ ...COUNTER_DIMS, direction: s.direction }, f, (code) => is(s.itemCode, code)),
      ),
    )
    .groupBy(grouping.groupBy)
  return rows.map((r) => {
    const histogram: Histogram = new Map(r.histogram.map((cases, days) => [days, Number(cases)]))
    const { open, concluded, rejected, withdrawn, concludedLate } = r
    const counts: Counts = { open, concluded, rejected, withdrawn, concludedLate }
    return { group: grouping.decode(r.g, r.value), counts, histogram }
  })
}

const CASE_DIMS: Cols = {
  item: caseItem,
  department: cases.departmentCode,
  partner: cases.partnerRegion,
  month: caseMonth,
}

/**
 * Open cases past their promised date on `today` (Beijing date): a running clock whose promised
 * date has gone by, or a paused one that had already run past it (overdue_frozen, kept by the
 * cases module; cases/repository.ts overdueSql is the same rule for cases of any state). An open
 * case's clock is never `ended` (only concluded, rejected and withdrawn end it), so naming
 * `running` and `paused` keeps both branches on the (clock_state, promised_date) index: only
 * overdue and paused cases are read, never the ended majority. Time changes this, so it is counted.
 */
export async function countOverdue(db: Db, f: StatsFilter, today: string, dims: readonly Dimension[]) {
  const grouping = groupingOf(dims, CASE_DIMS)
  // On the cases table, months become a range of received_at and the item a plain equality.
  const item = (code: string) => (code === '' ? isNull(cases.itemCode) : eq(cases.itemCode, code))
  const rows = await db
    .select({ g: grouping.g, value: grouping.value, overdue: sql<number>`count(*)::int` })
    .from(cases)
    .where(
      and(
        or(
          and(eq(cases.clockState, 'running'), lt(cases.promisedDate, today)),
          and(eq(cases.clockState, 'paused'), eq(cases.overdueFrozen, 1)),
        ),
        inArray(cases.state, [...OPEN_STATES]),
        f.from !== undefined ? gte(cases.receivedAt, monthStart(f.from)) : undefined,
        f.to !== undefined ? lt(cases.receivedAt, monthStart(nextMonth(f.to))) : undefined,
        ...equalities({ ...CASE_DIMS, direction: cases.direction }, f, item),
      ),
    )
    .groupBy(grouping.groupBy)
  return rows.map((r) => ({ group: grouping.decode(r.g, r.value), overdue: r.overdue }))
}

/** Every catalogue item's code, for answers that list the items without cases too. */
export async function allItemCodes(db: Db): Promise<string[]> {
  const rows = await db.select({ code: items.code }).from(items).orderBy(items.code)
  return rows.map((r) => r.code)
}
