/**
 * The SQL building blocks the stats repositories share: the counters' histogram columns, a case's
 * counters month and item as expressions, and GROUPING SETS over the dimensions of a summary.
 */
import { getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import {
  caseStats,
  cases,
  HISTOGRAM_MAX_DAYS,
  type WorkingDaysKey,
  workingDaysKey,
} from '../../db/schema/index.js'

export type Dimension = 'item' | 'department' | 'partner' | 'month'

/** A grouped answer's row: the dimension it is grouped by (`total`: none) and its value. */
export interface Group {
  dim: Dimension | 'total'
  value: string
}

export type Part = PgColumn | SQL
export type Cols = Record<Dimension, Part>

export const CONCLUDED = ['concluded', 'delivered']
export const WD_KEYS = Array.from({ length: HISTOGRAM_MAX_DAYS + 2 }, (_, d) => workingDaysKey(d))
// drizzle's table type keeps the named columns only; the generated ones are looked up by key.
const columns = getTableColumns(caseStats) as unknown as Record<WorkingDaysKey, PgColumn>
export function wdColumn(key: WorkingDaysKey): PgColumn {
  const column = columns[key]
  if (!column) throw new Error(`case_stats has no column ${key}`)
  return column
}

export const total = (col: PgColumn) => sql<number>`coalesce(sum(${col}), 0)::int`

// A case's counters month, computed the same way in SQL: its receipt in Beijing time (UTC+8 all
// year). Literal text, not parameters, so the same expression can appear in GROUP BY.
export const caseMonth = sql<string>`to_char((${cases.receivedAt} at time zone 'UTC') + interval '8 hours', 'YYYY-MM')`
export const caseItem = sql<string>`coalesce(${cases.itemCode}, '')`

/**
 * GROUPING SETS: the total (if asked) and one group per value of each dimension, in one pass.
 * `grouping()` has a bit set for each dimension a row is *not* grouped by: that tells them apart.
 */
export function groupingOf(dims: readonly Dimension[], cols: Cols, withTotal = true) {
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
