import { and, eq, getTableColumns, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import {
  caseStats,
  cases,
  HISTOGRAM_MAX_DAYS,
  items,
  type WorkingDaysKey,
  workingDaysKey,
} from '../../db/schema/index.js'
import { OPEN_STATES } from '../cases/lifecycle.js'
import type { Counts, Histogram } from './figures.js'
import { nextMonth, periodRanges } from './periods.js'

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

export type Dimension = 'item' | 'department' | 'partner' | 'month'

/** A grouped answer's row: the dimension it is grouped by (`total`: none) and its value. */
export interface Group {
  dim: Dimension | 'total'
  value: string
}

/** The counters a case counts in: its item, department, partner, direction and month of receipt. */
export interface CaseKey {
  itemCode: string
  departmentCode: string
  partnerRegion: string
  direction: 'inbound' | 'outbound'
  month: string
}

type Part = PgColumn | SQL
type Cols = Record<Dimension, Part>

const CONCLUDED = ['concluded', 'delivered']
const WD_KEYS = Array.from({ length: HISTOGRAM_MAX_DAYS + 2 }, (_, d) => workingDaysKey(d))
// drizzle's table type keeps the named columns only; the generated ones are looked up by key.
const columns = getTableColumns(caseStats) as unknown as Record<WorkingDaysKey, PgColumn>
function wdColumn(key: WorkingDaysKey): PgColumn {
  const column = columns[key]
  if (!column) throw new Error(`case_stats has no column ${key}`)
  return column
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

/**
 * GROUPING SETS: the total (if asked) and one group per value of each dimension, in one pass.
 * `grouping()` has a bit set for each dimension a row is *not* grouped by: that tells them apart.
 */
function groupingOf(dims: readonly Dimension[], cols: Cols, withTotal = true) {
  const list = (parts: Part[]) => sql.join(parts, sql`, `)
  const sets = [...(withTotal ? [sql`()`] : []), ...dims.map((d) => sql`(${cols[d]})`)]
  return {
    g: dims.length > 0 ? sql<number>`grouping(${list(dims.map((d) => cols[d]))})::int` : sql<number>`0`,
    value:
      dims.length > 0 ? sql<string | null>`coalesce(${list(dims.map((d) => cols[d]))})` : sql<null>`null`,
    groupBy: sql`grouping sets (${list(sets)})`,
    decode: (g: number, value: string | null): Group => {
      const all = (1 << dims.length) - 1
      const i = dims.findIndex((_, k) => g === all - (1 << (dims.length - 1 - k)))
      return i < 0 ? { dim: 'total', value: '' } : { dim: dims[i] as Dimension, value: value ?? '' }
    },
  }
}

const total = (col: PgColumn) => sql<number>`coalesce(sum(${col}), 0)::int`
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

// A case's counters month, computed the same way in SQL: its receipt in Beijing time (UTC+8 all
// year). Literal text, not parameters, so the same expression can appear in GROUP BY.
const caseMonth = sql<string>`to_char((${cases.receivedAt} at time zone 'UTC') + interval '8 hours', 'YYYY-MM')`
const caseItem = sql<string>`coalesce(${cases.itemCode}, '')`
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

/**
 * Recomputes the counters from `cases` (first fill, repair, or after a bulk load): the
 * `item_month` rows from the cases in one pass, the coarser kinds by adding those up. Run inside
 * a transaction: the lock makes concurrent recordStateChange calls wait, so none is lost or
 * counted twice (the cases they change are read after they commit).
 */
export async function rebuildCounters(db: Db): Promise<void> {
  const c = cases
  const s = caseStats
  const count = (where: SQL) => sql<number>`(count(*) filter (where ${where}))::int`
  const concluded = inArray(c.state, CONCLUDED)
  const days = sql`least(${c.workingDaysUsed}, ${HISTOGRAM_MAX_DAYS + 1})`
  await db.execute(sql`lock table ${caseStats} in exclusive mode`)
  await db.delete(caseStats)
  await db.insert(caseStats).select(
    db
      .select({
        kind: sql<string>`'item_month'::text`.as('kind'),
        period: caseMonth.as('period'),
        itemCode: caseItem.as('item_code'),
        departmentCode: c.departmentCode,
        partnerRegion: c.partnerRegion,
        direction: c.direction,
        open: count(inArray(c.state, [...OPEN_STATES])).as('open'),
        concluded: count(concluded).as('concluded'),
        rejected: count(eq(c.state, 'rejected')).as('rejected'),
        withdrawn: count(eq(c.state, 'withdrawn')).as('withdrawn'),
        concludedLate: count(and(concluded, eq(c.overdueFrozen, 1)) as SQL).as('concluded_late'),
        ...Object.fromEntries(
          WD_KEYS.map((k, d) => [k, count(and(concluded, sql`${days} = ${d}`) as SQL).as(`wd_${d}`)]),
        ),
      })
      .from(c)
      .groupBy(caseMonth, caseItem, c.departmentCode, c.partnerRegion, c.direction),
  )
  // `month` rows add up all items (item_code '', not grouped by); `item_year` rows the year's months.
  const rollup = (kind: 'month' | 'item_year') => {
    const period = kind === 'month' ? s.period : sql<string>`substr(${s.period}, 1, 4)`
    const item = kind === 'month' ? sql<string>`''::text` : s.itemCode
    return db
      .select({
        kind: sql<string>`${kind}::text`.as('kind'),
        period: sql<string>`${period}`.as('period'),
        itemCode: sql<string>`${item}`.as('item_code'),
        departmentCode: s.departmentCode,
        partnerRegion: s.partnerRegion,
        direction: s.direction,
        open: total(s.open).as('open'),
        concluded: total(s.concluded).as('concluded'),
        rejected: total(s.rejected).as('rejected'),
        withdrawn: total(s.withdrawn).as('withdrawn'),
        concludedLate: total(s.concludedLate).as('concluded_late'),
        ...Object.fromEntries(WD_KEYS.map((k, d) => [k, total(wdColumn(k)).as(`wd_${d}`)])),
      })
      .from(s)
      .where(eq(s.kind, 'item_month'))
      .groupBy(
        period,
        ...(kind === 'month' ? [] : [s.itemCode]),
        s.departmentCode,
        s.partnerRegion,
        s.direction,
      )
  }
  await db.insert(caseStats).select(rollup('month'))
  await db.insert(caseStats).select(rollup('item_year'))
}
