import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Figures } from '../../../src/modules/stats/figures.js'
import type { StatsSummary } from '../../../src/modules/stats/get-stats-summary.js'
import { rebuildCaseStats } from '../../../src/modules/stats/rebuild-case-stats.js'
import { MARRIAGE_ITEM_CODE } from '../../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../../helpers/partners.js'
import { arrive, CONCLUDE_APPROVED, countersSnapshot, step, tokenAt, withdrawByLongmen } from './helpers.js'

const DAY = 86_400_000
let gw: TestGateway
let conghua: TestPartner
let longmen: TestPartner
const no = { c1: '', c2: '', c3: '', l1: '', l2: '' }

const stats = async (query = '', token?: string) => {
  const res = await gw.request(`/v1/stats${query}`, { token: token ?? (await tokenAt(gw)) })
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as StatsSummary
}

// Saturday 2026-11-28, 10:00 in Beijing. The marriage item's limit is 1 working day.
beforeAll(async () => {
  gw = await createTestGateway({ now: '2026-11-28T02:00:00Z' })
  conghua = await registerPartner(gw, 'conghua')
  longmen = await registerPartner(gw, 'longmen')
  no.c1 = await arrive(gw, conghua, 'CH-STATS-1')
  no.c2 = await arrive(gw, conghua, 'CH-STATS-2')
  no.c3 = await arrive(gw, conghua, 'CH-STATS-3')
  no.l1 = await arrive(gw, longmen, 'LM-STATS-1')
  no.l2 = await arrive(gw, longmen, 'LM-STATS-2')
  await step(gw, no.c1, { type: 'accepted' })
  await step(gw, no.c3, { type: 'accepted' }) // promised date: Monday 2026-11-30
  await step(gw, no.c2, { type: 'rejected', reason: '不属于受理范围' })
  await withdrawByLongmen(longmen, 'LM-STATS-1')
  gw.clock.advance(2 * DAY) // Monday 2026-11-30: one working day after acceptance
  await step(gw, no.c1, CONCLUDE_APPROVED)
})
afterAll(() => gw.close())

const EXPECTED: Figures = {
  received: 5,
  open: 2,
  concluded: 1,
  rejected: 1,
  withdrawn: 1,
  overdue: 0,
  completionRate: 0.5, // (1 concluded + 1 rejected) ÷ (5 received − 1 withdrawn)
  onTimeRate: 1,
  medianWorkingDays: 1,
}

describe('GET /v1/stats — happy', () => {
  it('counts the cases by state, with the completion rate and the median working days', async () => {
    const s = await stats()
    expect(s.totals).toEqual(EXPECTED)
    expect(s.byItem).toEqual([{ item: MARRIAGE_ITEM_CODE, ...EXPECTED }])
    expect(s.byDepartment).toEqual([{ department: 'MZJ', ...EXPECTED }])
    expect(s.byMonth).toEqual([{ month: '2026-11', ...EXPECTED }])
  })

  it('splits by partner and filters by partner and months of receipt', async () => {
    const s = await stats()
    expect(
      s.byPartner.map((p) => [p.partner, p.received, p.open, p.concluded, p.rejected, p.withdrawn]),
    ).toEqual([
      ['440117', 3, 1, 1, 1, 0],
      ['441324', 2, 1, 0, 0, 1],
    ])
    const longmenOnly = await stats('?partner=441324')
    expect(longmenOnly.totals).toMatchObject({ received: 2, withdrawn: 1, completionRate: 0 })
    expect(longmenOnly.byPartner.map((p) => p.partner)).toEqual(['441324'])
    expect((await stats('?from=2026-11&to=2026-11')).totals).toEqual(EXPECTED)
    const later = await stats('?from=2026-12')
    expect(later.totals).toMatchObject({ received: 0, completionRate: null, medianWorkingDays: null })
    expect(later.byItem).toEqual([])
    expect((await stats('?direction=outbound')).totals.received).toBe(0)
  })

  it('does not change the counts for a step within a bucket (concluded → delivered)', async () => {
    await step(gw, no.c1, { type: 'delivered' })
    expect((await stats()).totals).toEqual(EXPECTED)
  })

  it('counts a running case as overdue once its promised date has passed, and a late conclusion', async () => {
    gw.clock.advance(2 * DAY) // Wednesday 2026-12-02: C3 was due on Monday
    const late = await stats()
    expect(late.totals.overdue).toBe(1)
    expect(late.byPartner.find((p) => p.partner === '440117')?.overdue).toBe(1)
    expect(late.byPartner.find((p) => p.partner === '441324')?.overdue).toBe(0)
    expect(late.byMonth[0]?.overdue).toBe(1)

    await step(gw, no.c3, CONCLUDE_APPROVED) // 3 working days used (Mon, Tue, Wed) for a 1-day limit
    const after = await stats()
    expect(after.totals).toMatchObject({
      open: 1,
      concluded: 2,
      overdue: 0,
      onTimeRate: 0.5,
      medianWorkingDays: 2,
    })
    expect(after.totals.completionRate).toBe(0.75) // (2 + 1) ÷ (5 − 1)
  })

  it('keeps the counters equal to a rebuild from the cases themselves', async () => {
    const kept = await countersSnapshot(gw)
    expect(kept.length).toBeGreaterThan(0)
    await rebuildCaseStats({ ctx: gw.ctx() })
    expect(await countersSnapshot(gw)).toEqual(kept)
  })
})

describe('GET /v1/stats — scoping and errors', () => {
  it('shows a clerk its own department’s figures, whatever department it asks for', async () => {
    const own = await stats('', await tokenAt(gw, 'clerk-mzj'))
    expect(own.totals.received).toBe(5)
    const other = await tokenAt(gw, 'clerk-gaj')
    const none = await stats('', other)
    expect(none.totals).toMatchObject({ received: 0, open: 0, overdue: 0, completionRate: null })
    expect([none.byPartner, none.byItem, none.byDepartment, none.byMonth]).toEqual([[], [], [], []])
    expect((await stats('?department=MZJ', other)).totals.received).toBe(0)
  })

  it('lets an administrator filter by department', async () => {
    expect((await stats('?department=MZJ')).totals.received).toBe(5)
    expect((await stats('?department=GAJ')).totals.received).toBe(0)
  })

  it('refuses a malformed month or an inverted range with 422', async () => {
    for (const query of ['?from=2026-13', '?to=2026-1', '?from=2026-12&to=2026-11', '?partner=44']) {
      const res = await gw.request(`/v1/stats${query}`, { token: await tokenAt(gw) })
      expect(res.status, query).toBe(422)
      expect(((await res.json()) as { code: string }).code).toBe('validation_failed')
    }
  })

  it('answers 401 without a token or with a bad one', async () => {
    expect((await gw.request('/v1/stats')).status).toBe(401)
    expect((await gw.request('/v1/stats', { token: 'not-a-token' })).status).toBe(401)
  })
})
