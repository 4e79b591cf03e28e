import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'

/** Working days counted one by one in the histogram; more than this go in the last column. */
export const HISTOGRAM_MAX_DAYS = 60

/** The histogram column of `days` working days: wd0 … wd60, then wd61 for "more than 60". */
export type WorkingDaysKey = `wd${number}`
export const workingDaysKey = (days: number): WorkingDaysKey =>
  `wd${Math.min(Math.max(days, 0), HISTOGRAM_MAX_DAYS + 1)}`
const workingDaysColumn = (days: number) => integer(`wd_${days}`).notNull().default(0)
// Columns, not rows of a second table: summing 62 columns of the same rows costs little, while a
// (key, days) table had six times the rows and made every median the slowest query of a summary.
const workingDaysColumns = Object.fromEntries(
  Array.from({ length: HISTOGRAM_MAX_DAYS + 2 }, (_, d) => [workingDaysKey(d), workingDaysColumn(d)]),
) as Record<WorkingDaysKey, ReturnType<typeof workingDaysColumn>>

/**
 * Case counters (modules/stats/README.md), so that figures never scan the cases table. Each row
 * holds the cases of one cohort by state bucket (received = open + concluded + rejected +
 * withdrawn) and the working days of its concluded ones. Three kinds of row, each a rollup of
 * the same cases at another grain, so every question reads a few thousand rows at most:
 * - `month`: all items of a (month, department, partner, direction): totals and the by-partner,
 *   by-department and by-month figures;
 * - `item_year` and `item_month`: one item's cases in a year or a month: item figures, whole
 *   years from the first, the months of a partial year from the second.
 * Periods are those of received_at in Beijing time (`YYYY` or `YYYY-MM`). recordStateChange keeps
 * them in step inside the transaction that changes a case; rebuildable from `cases` at any time.
 */
export const caseStats = pgTable(
  'case_stats',
  {
    kind: text('kind', { enum: ['month', 'item_month', 'item_year'] }).notNull(),
    /** `YYYY-MM` (month, item_month) or `YYYY` (item_year). */
    period: text('period').notNull(),
    /** '' in `month` rows, and for a case without a Xinfeng item (outbound: the partner's item). */
    itemCode: text('item_code').notNull(),
    departmentCode: text('department_code').notNull(),
    partnerRegion: text('partner_region').notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    open: integer('open').notNull().default(0),
    /** `concluded` or `delivered`. */
    concluded: integer('concluded').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    withdrawn: integer('withdrawn').notNull().default(0),
    /** Concluded after the promised date (the clock ended overdue). */
    concludedLate: integer('concluded_late').notNull().default(0),
    /**
     * Working days used by the concluded cases, as a histogram (wd_0: cases concluded within 0
     * working days, …), so the median of any selection comes from sums, not from case rows.
     */
    ...workingDaysColumns,
  },
  (t) => [
    primaryKey({
      name: 'case_stats_pk',
      columns: [t.kind, t.period, t.itemCode, t.departmentCode, t.partnerRegion, t.direction],
    }),
    // One item's rows (GET /v1/items/{code}).
    index('case_stats_item_idx').on(t.itemCode, t.kind, t.period),
  ],
)
