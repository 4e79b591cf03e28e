import type { Db } from '../../db/client.js'
import type { CaseState } from '../cases/lifecycle.js'
import { bucketOf, type Counts, monthOf } from './figures.js'
import { recordStateChange, type StatsCase } from './record-state-change.js'
import { addCounts, type CaseKey } from './repository.js'

/**
 * recordStateChange(…, null, state) for several new cases at once (a batch of intakes): one
 * upsert per counters key with the number of cases added, in key order, so batches that share
 * keys take their row locks in the same order. A case that starts concluded (none does today)
 * carries its own lateness and working days, so it goes through recordStateChange alone.
 */
export async function recordNewCases(
  db: Db,
  created: readonly { caseRow: StatsCase; state: CaseState }[],
): Promise<void> {
  const groups = new Map<string, { key: CaseKey; delta: Partial<Counts> }>()
  for (const { caseRow, state } of created) {
    const bucket = bucketOf(state)
    if (bucket === 'concluded') {
      await recordStateChange(db, caseRow, null, state)
      continue
    }
    const key: CaseKey = {
      itemCode: caseRow.itemCode ?? '',
      departmentCode: caseRow.departmentCode,
      partnerRegion: caseRow.partnerRegion,
      direction: caseRow.direction,
      month: monthOf(caseRow.receivedAt),
    }
    const id = [key.itemCode, key.departmentCode, key.partnerRegion, key.direction, key.month].join('\n')
    const group = groups.get(id) ?? { key, delta: {} }
    group.delta[bucket] = (group.delta[bucket] ?? 0) + 1
    groups.set(id, group)
  }
  for (const id of [...groups.keys()].sort()) {
    const group = groups.get(id)!
    await addCounts(db, group.key, group.delta)
  }
}
