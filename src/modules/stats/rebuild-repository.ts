import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { caseStats, cases, HISTOGRAM_MAX_DAYS } from '../../db/schema/index.js'
import { OPEN_STATES } from '../cases/lifecycle.js'
import { CONCLUDED, caseItem, caseMonth, total, WD_KEYS, wdColumn } from './sql-parts.js'

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
