import type { Db } from '../../db/client.js'
import type { cases } from '../../db/schema/index.js'
import type { CaseState } from '../cases/lifecycle.js'
import { bucketOf, type Counts, monthOf } from './figures.js'
import { addCounts, type CaseKey } from './repository.js'

/**
 * What the counters need of a case, as it is *after* the change: its key, and for a conclusion
 * the clock's verdict (overdue_frozen) and working days used. A `cases` insert object or row fits.
 */
export type StatsCase = Pick<
  typeof cases.$inferInsert,
  | 'itemCode'
  | 'departmentCode'
  | 'partnerRegion'
  | 'direction'
  | 'receivedAt'
  | 'overdueFrozen'
  | 'workingDaysUsed'
>

/**
 * Keeps the case counters in step with one case's state change. The cases module calls it in the
 * same transaction as the change, so the counters commit or roll back with it:
 * `fromState` null for a new case (receive-case.ts, and the outbound submission), the previous
 * state otherwise (apply-event.ts). A change within one bucket (received → accepted, concluded →
 * delivered) writes nothing; a move between buckets is one upsert of the case's three counters rows.
 */
export async function recordStateChange(
  db: Db,
  caseRow: StatsCase,
  fromState: CaseState | null,
  toState: CaseState,
): Promise<void> {
  const from = fromState === null ? undefined : bucketOf(fromState)
  const to = bucketOf(toState)
  if (from === to) return

  const key: CaseKey = {
    itemCode: caseRow.itemCode ?? '',
    departmentCode: caseRow.departmentCode,
    partnerRegion: caseRow.partnerRegion,
    direction: caseRow.direction,
    month: monthOf(caseRow.receivedAt),
  }
  // The state machine never leaves `concluded` (only to `delivered`, the same bucket), so the
  // conclusion's lateness and working days are counted once, on the way in.
  const concludes = to === 'concluded'
  // A bucket's name is its counter's.
  const delta: Partial<Counts> = { [to]: 1 }
  if (from) delta[from] = -1
  if (concludes && caseRow.overdueFrozen === 1) delta.concludedLate = 1
  await addCounts(db, key, delta, concludes ? (caseRow.workingDaysUsed ?? undefined) : undefined)
}
