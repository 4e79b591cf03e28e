import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../../src/context.js'
import { getAllItemFigures } from '../../../src/modules/stats/get-all-item-figures.js'
import { getItemFigures } from '../../../src/modules/stats/get-item-figures.js'
import { getStatsSummary } from '../../../src/modules/stats/get-stats-summary.js'
import { recordStateChange, type StatsCase } from '../../../src/modules/stats/record-state-change.js'
import { MARRIAGE_ITEM_CODE } from '../../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { countersSnapshot } from './helpers.js'

let gw: TestGateway
const clerk = (department: string): Actor => ({
  kind: 'user',
  userId: 'u',
  username: 'c',
  role: 'clerk',
  department,
})

// Received at 00:30 on 1 February in Beijing, still 31 January in UTC.
const CASE: StatsCase = {
  itemCode: MARRIAGE_ITEM_CODE,
  departmentCode: 'MZJ',
  partnerRegion: '440117',
  direction: 'inbound',
  receivedAt: new Date('2026-01-31T16:30:00Z'),
  overdueFrozen: 0,
  workingDaysUsed: null,
}
const figures = (input: Record<string, string> = {}, actor = gw.ctx().actor) =>
  getItemFigures({ ctx: { ...gw.ctx(), actor }, input: { code: MARRIAGE_ITEM_CODE, ...input } })

beforeAll(async () => {
  gw = await createTestGateway()
})
afterAll(() => gw.close())

describe('recordStateChange', () => {
  it('counts a new case as open in its three rollups, by its month of receipt in Beijing time', async () => {
    await recordStateChange(gw.database.db, CASE, null, 'submitted')
    const rows = await countersSnapshot(gw)
    expect(rows.map((r) => [r.kind, r.period, r.itemCode, r.open])).toEqual([
      ['item_month', '2026-02', MARRIAGE_ITEM_CODE, 1],
      ['item_year', '2026', MARRIAGE_ITEM_CODE, 1],
      ['month', '2026-02', '', 1],
    ])
  })

  it('writes nothing for a change within a bucket', async () => {
    const before = await countersSnapshot(gw)
    await recordStateChange(gw.database.db, CASE, 'submitted', 'received')
    await recordStateChange(gw.database.db, CASE, 'received', 'accepted')
    expect(await countersSnapshot(gw)).toEqual(before)
  })

  it('moves a concluded case over, with its lateness and working days', async () => {
    await recordStateChange(
      gw.database.db,
      { ...CASE, overdueFrozen: 1, workingDaysUsed: 4 },
      'in_process',
      'concluded',
    )
    for (const row of await countersSnapshot(gw)) {
      expect(row).toMatchObject({ open: 0, concluded: 1, concludedLate: 1 })
      expect((row as Record<string, unknown>).wd4).toBe(1)
    }
    expect(await figures()).toEqual({
      received: 1,
      open: 0,
      concluded: 1,
      rejected: 0,
      withdrawn: 0,
      overdue: 0,
      completionRate: 1,
      onTimeRate: 0,
      medianWorkingDays: 4,
    })
  })

  it('keeps more than 60 working days in the last column: the median reads 61 there', async () => {
    for (let i = 0; i < 2; i++) {
      await recordStateChange(gw.database.db, CASE, null, 'received')
      await recordStateChange(gw.database.db, { ...CASE, workingDaysUsed: 75 }, 'in_process', 'concluded')
    }
    expect(await figures()).toMatchObject({ concluded: 3, medianWorkingDays: 61 })
  })

  it('counts rejected and withdrawn cases in their own buckets', async () => {
    await recordStateChange(gw.database.db, CASE, null, 'received')
    await recordStateChange(gw.database.db, CASE, 'received', 'rejected')
    await recordStateChange(gw.database.db, CASE, null, 'received')
    await recordStateChange(gw.database.db, CASE, 'correction_requested', 'withdrawn')
    // (3 concluded + 1 rejected) ÷ (5 received − 1 withdrawn)
    expect(await figures()).toMatchObject({
      received: 5,
      open: 0,
      rejected: 1,
      withdrawn: 1,
      completionRate: 1,
    })
  })
})

describe('item figures over months, and scoping', () => {
  it('adds up whole years and single months alike', async () => {
    expect((await figures({ from: '2026-02', to: '2026-02' })).received).toBe(5)
    expect((await figures({ from: '2025-06', to: '2026-12' })).received).toBe(5)
    expect((await figures({ from: '2026-01' })).received).toBe(5)
    expect((await figures({ to: '2026-01' })).received).toBe(0)
    expect((await figures({ from: '2026-03' })).received).toBe(0)
    expect((await figures({ partner: '441324' })).received).toBe(0)
  })

  it('gives a clerk of another department zeros, and its own department the figures', async () => {
    expect((await figures({}, clerk('GAJ'))).received).toBe(0)
    expect((await figures({}, clerk('MZJ'))).received).toBe(5)
    const partner: Actor = { kind: 'partner', region: '440117' }
    expect((await figures({}, partner)).received).toBe(0)
  })

  it('lists every catalogue item at once, zeros for those without cases', async () => {
    const all = await getAllItemFigures({ ctx: gw.ctx() })
    expect(all.size).toBe(1162)
    expect(all.get(MARRIAGE_ITEM_CODE)?.received).toBe(5)
    expect([...all.values()].filter((f) => f.received > 0)).toHaveLength(1)
    const scoped = await getAllItemFigures({ ctx: { ...gw.ctx(), actor: clerk('GAJ') } })
    expect(scoped.get(MARRIAGE_ITEM_CODE)?.received).toBe(0)
  })

  it('agrees with the summary', async () => {
    const s = await getStatsSummary({ ctx: gw.ctx(), input: {} })
    expect(s.byItem).toEqual([{ item: MARRIAGE_ITEM_CODE, ...(await figures()) }])
    expect(s.byMonth.map((m) => [m.month, m.received])).toEqual([['2026-02', 5]])
  })
})
