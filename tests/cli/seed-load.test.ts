import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEED_ACTOR, type SeedResult, seedCases } from '../../src/cli/seed-load.js'
import { beijingDate } from '../../src/lib/clock.js'
import { computeCaseClock } from '../../src/modules/calendar/case-clock.js'
import { loadCalendar } from '../../src/modules/calendar/overrides/load-calendar.js'
import type { EventType } from '../../src/modules/formats/canonical.js'
import type { StatsSummary } from '../../src/modules/stats/get-stats-summary.js'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'

/**
 * The seeding function of `npm run seed:load` on this run's test database (PGlite, or
 * PostgreSQL with TEST_DATABASE_URL): 2,000 cases, then what the rest of the gateway sees of
 * them. Timings are for bench/million.ts; nothing here is timed.
 */
const NOW = '2026-11-28T02:00:00Z' // Saturday, 10:00 in Beijing
const TODAY = '2026-11-28'
const COUNT = 2000

let gw: TestGateway
let seeded: SeedResult
const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[]
const query = async <T>(q: ReturnType<typeof sql>) => rowsOf<T>(await gw.database.db.execute(q))

interface CaseRow {
  id: string
  case_no: string
  state: string
  direction: string
  partner_region: string
  promised_days: number
  clock_state: string
  promised_date: string | null
  overdue_frozen: number
  working_days_used: number | null
}

beforeAll(async () => {
  gw = await createTestGateway({ now: NOW })
  seeded = await seedCases(gw.ctx(SEED_ACTOR), { count: COUNT, batchSize: 700 })
}, 180_000)
afterAll(() => gw?.close())

describe('seedCases', () => {
  it('writes the cases asked for, spread over partners, directions and states', async () => {
    expect(seeded.cases).toBe(COUNT)
    const [totals] = await query<{ n: number; partners: number; inbound: number; outbound: number }>(
      sql`select count(*)::int as n, count(distinct partner_region)::int as partners,
        count(*) filter (where direction = 'inbound')::int as inbound,
        count(*) filter (where direction = 'outbound')::int as outbound from cases`,
    )
    expect(totals).toMatchObject({ n: COUNT, partners: 2 })
    expect(totals?.inbound).toBeGreaterThan(COUNT * 0.75)
    expect(totals?.outbound).toBeGreaterThan(COUNT * 0.05)

    const states = new Map(
      (
        await query<{ state: string; n: number }>(
          sql`select state, count(*)::int as n from cases group by state`,
        )
      ).map((r) => [r.state, r.n]),
    )
    const done = (states.get('delivered') ?? 0) + (states.get('concluded') ?? 0)
    expect(done).toBeGreaterThan(COUNT * 0.8)
    expect(states.get('rejected')).toBeGreaterThan(0)
    expect(states.get('withdrawn')).toBeGreaterThan(0)
    const open = [
      'received',
      'accepted',
      'in_process',
      'correction_requested',
      'correction_submitted',
      'suspended',
    ]
    expect(open.reduce((n, s) => n + (states.get(s) ?? 0), 0)).toBeGreaterThan(0)

    // Receipts: working hours of the last 24 months, none in the future.
    const [span] = await query<{ first: string; last: string; future: number; off_hours: number }>(
      sql`select to_char(min(received_at) at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as first,
        to_char(max(received_at) at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as last,
        count(*) filter (where received_at > ${NOW}::timestamptz)::int as future,
        count(*) filter (where extract(hour from received_at at time zone 'Asia/Shanghai') not between 8 and 17)::int as off_hours
        from cases`,
    )
    expect(span?.first.slice(0, 7)).toBe('2024-11')
    expect(span?.last).toBe('2026-11-27')
    expect(span?.future).toBe(0)
    expect(span?.off_hours).toBe(0)
  })

  it('gives each case unique numbers, a draft agreement per partner and items of the catalogue', async () => {
    const [numbers] = await query<{ bad: number; distinct_no: number; distinct_partner_no: number }>(
      sql`select count(*) filter (where case_no !~ '^XF-20[0-9]{2}-[0-9]{6,}$')::int as bad,
        count(distinct case_no)::int as distinct_no, count(distinct partner_case_no)::int as distinct_partner_no
        from cases`,
    )
    expect(numbers).toEqual({ bad: 0, distinct_no: COUNT, distinct_partner_no: COUNT })
    expect(seeded.agreements.map((a) => [a.region, a.created])).toEqual([
      ['440117', true],
      ['441324', true],
    ])
    const [items] = await query<{ not_cross_city: number; wrong_department: number }>(
      sql`select count(*) filter (where not i.cross_city)::int as not_cross_city,
        count(*) filter (where i.department_code <> c.department_code)::int as wrong_department
        from cases c join items i on i.code = c.item_code`,
    )
    expect(items).toEqual({ not_cross_city: 0, wrong_department: 0 })
  })

  it('records a received event first on every case, and numbers each side’s events 1, 2, …', async () => {
    const [events] = await query<{ without_received: number; gaps: number; total: number }>(
      sql`select
        (select count(*) from cases c where not exists (select 1 from case_events e
           where e.case_id = c.id and e.type = 'received' and e.seq = 1
             and e.side = case when c.direction = 'inbound' then 'ours' else 'theirs' end
             and e.at = c.received_at))::int as without_received,
        (select count(*) from (select case_id, side, max(seq) as m, count(*) as n from case_events
           group by case_id, side) s where m <> n)::int as gaps,
        (select count(*) from case_events)::int as total`,
    )
    expect(events).toEqual({ without_received: 0, gaps: 0, total: seeded.events })
  })

  it('keeps each clock what case-clock.ts computes from the case’s events', async () => {
    const calendar = await loadCalendar(gw.ctx())
    const cases = await query<CaseRow>(sql`select * from cases`)
    const events = await query<{ case_id: string; type: EventType; at: string | Date }>(
      sql`select case_id, type, at from case_events order by case_id, at, side, seq`,
    )
    const byCase = new Map<string, { type: EventType; at: string }[]>()
    for (const e of events) {
      const list = byCase.get(e.case_id) ?? []
      list.push({ type: e.type, at: new Date(e.at).toISOString() })
      byCase.set(e.case_id, list)
    }
    const wrong: string[] = []
    for (const c of cases) {
      const timeline = byCase.get(c.id) ?? []
      // As apply-event.ts stores it: the clock computed when the last event was applied.
      const clock = computeCaseClock(calendar, {
        promisedDays: c.promised_days,
        events: timeline,
        now: timeline.at(-1)?.at ?? NOW,
      })
      const expected = {
        clock_state: clock.state,
        promised_date: clock.promisedDate ?? null,
        overdue_frozen: clock.state !== 'running' && clock.overdue ? 1 : 0,
        working_days_used: clock.state === 'not_started' ? null : clock.workingDaysUsed,
      }
      const actual = {
        clock_state: c.clock_state,
        promised_date: c.promised_date,
        overdue_frozen: c.overdue_frozen,
        working_days_used: c.working_days_used,
      }
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        wrong.push(`${c.case_no} ${c.state} ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`)
      }
    }
    expect(wrong.slice(0, 5)).toEqual([])
  })
})

describe('the gateway on seeded cases', () => {
  it('GET /v1/stats agrees with the seeded cases', async () => {
    const res = await gw.request('/v1/stats', { token: await gw.adminToken() })
    expect(res.status).toBe(200)
    const stats = (await res.json()) as StatsSummary
    const expected = await query<{
      partner: string
      received: number
      open: number
      concluded: number
      rejected: number
      withdrawn: number
      overdue: number
    }>(
      sql`select coalesce(partner_region, '') as partner, count(*)::int as received,
        count(*) filter (where state not in ('concluded', 'delivered', 'rejected', 'withdrawn'))::int as open,
        count(*) filter (where state in ('concluded', 'delivered'))::int as concluded,
        count(*) filter (where state = 'rejected')::int as rejected,
        count(*) filter (where state = 'withdrawn')::int as withdrawn,
        count(*) filter (where state not in ('concluded', 'delivered', 'rejected', 'withdrawn')
          and ((clock_state = 'running' and promised_date < ${TODAY}) or overdue_frozen = 1))::int as overdue
        from cases group by rollup (partner_region) order by 1`,
    )
    const pick = (
      f: { [K in 'received' | 'open' | 'concluded' | 'rejected' | 'withdrawn' | 'overdue']?: unknown },
    ) => ({
      received: f.received,
      open: f.open,
      concluded: f.concluded,
      rejected: f.rejected,
      withdrawn: f.withdrawn,
      overdue: f.overdue,
    })
    const [all, ...partners] = expected
    expect(pick(stats.totals)).toEqual(pick(all ?? {}))
    expect(stats.totals.received).toBe(COUNT)
    expect(stats.totals.overdue).toBeGreaterThan(0)
    expect(stats.byPartner.map((p) => ({ partner: p.partner, ...pick(p) }))).toEqual(
      partners.map((p) => ({ partner: p.partner, ...pick(p) })),
    )
  })

  it('the overdue filter finds exactly the seeded overdue cases', async () => {
    const token = await gw.adminToken()
    const found: string[] = []
    let cursor: string | null = null
    do {
      const res = await gw.request(`/v1/cases?overdue=true&limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
        token,
      })
      expect(res.status).toBe(200)
      const page = (await res.json()) as {
        items: { caseNo: string; overdue: boolean }[]
        nextCursor: string | null
      }
      expect(page.items.every((c) => c.overdue)).toBe(true)
      found.push(...page.items.map((c) => c.caseNo))
      cursor = page.nextCursor
    } while (cursor)
    const expected = await query<{ case_no: string }>(
      sql`select case_no from cases
        where (clock_state = 'running' and promised_date < ${beijingDate(new Date(NOW))}) or overdue_frozen = 1`,
    )
    expect(expected.length).toBeGreaterThan(0)
    expect(found.sort()).toEqual(expected.map((r) => r.case_no).sort())
  })
})

describe('npm run seed:load', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kytb-cli-seed-'))
  })
  afterAll(() => rm(dataDir, { recursive: true, force: true }))

  const run = (args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
    delete env.DATABASE_URL
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/seed-load.ts', ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => {
        stdout += chunk
      })
      child.stderr.on('data', (chunk) => {
        stderr += chunk
      })
      const timer = setTimeout(() => child.kill('SIGKILL'), 110_000)
      child.on('error', reject)
      child.on('close', (code) => {
        clearTimeout(timer)
        resolve({ code, stdout, stderr })
      })
    })
  }

  it('seeds an embedded database from scratch and prints the rate', { timeout: 120_000 }, async () => {
    const result = await run(['300', '--partner-mix', '70:30', '--batch-size', '120'])
    expect(result.stderr).toContain('loaded the sample catalogue')
    expect(result.stderr).toMatch(/300 \/ 300 cases/)
    expect(result.stdout).toMatch(/^seeded 300 cases and [\d,]+ events in .* rows\/s/)
    expect(result.code).toBe(0)
  })

  it('exits 2 with the usage for a bad count', { timeout: 60_000 }, async () => {
    const result = await run(['many'])
    expect(result.stderr).toContain('usage: npm run seed:load -- COUNT')
    expect(result.code).toBe(2)
  })
})
