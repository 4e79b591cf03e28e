/**
 * The statistics verbs against 1,000,000 cases on PostgreSQL: how long GET /v1/stats, the
 * figures of every catalogue item and one item's figures take, and what recordStateChange adds
 * to a case's transaction. Creates its own database and drops it afterwards (KEEP_DB=1 keeps it).
 *
 * Run: node --import tsx bench/stats-at-scale.ts
 *   DATABASE_URL  default postgres://postgres@127.0.0.1:5432/kytb_stats_bench (created, dropped)
 *   CASES         default 1000000
 *   ROUNDS        default 15 (timed runs of each verb, after one warm-up)
 *   STALE_OPEN    default 0.03: share of the cases older than 30 days still open
 *   REUSE_DB=1    measure again on a database kept with KEEP_DB=1 (skips the insert)
 */
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { loadConfig } from '../src/config.js'
import { type Actor, contextFor, SYSTEM_ACTOR } from '../src/context.js'
import { openPostgres } from '../src/db/client.js'
import { withTransaction } from '../src/db/tx.js'
import { fixedClock } from '../src/lib/clock.js'
import { createLogger } from '../src/lib/logger.js'
import type { Figures } from '../src/modules/stats/figures.js'
import { getAllItemFigures } from '../src/modules/stats/get-all-item-figures.js'
import { getItemFigures } from '../src/modules/stats/get-item-figures.js'
import { getStatsSummary } from '../src/modules/stats/get-stats-summary.js'
import { rebuildCaseStats } from '../src/modules/stats/rebuild-case-stats.js'
import { recordStateChange } from '../src/modules/stats/record-state-change.js'
import { countOverdue } from '../src/modules/stats/repository.js'
import { prepare } from '../src/start.js'

const URL_ = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kytb_stats_bench'
const CASES = Number(process.env.CASES ?? 1_000_000)
const ROUNDS = Number(process.env.ROUNDS ?? 15)
// Share of the cases older than 30 days still open (most of them overdue). 3 % is a county with a
// long backlog — about 25,000 overdue cases at a million; 0.5 % is closer to a healthy one.
const STALE = Number(process.env.STALE_OPEN ?? 0.03)
const NOW = '2026-11-28T02:00:00Z' // 10:00 in Beijing; "today" is 2026-11-28

const dbName = new URL(URL_).pathname.slice(1)
const serverUrl = new URL(URL_)
serverUrl.pathname = '/postgres'
const server = postgres(serverUrl.toString(), { max: 1, onnotice: () => {} })
const reuse =
  process.env.REUSE_DB === '1' &&
  (await server`select 1 from pg_database where datname = ${dbName}`).length > 0
if (!reuse) {
  await server.unsafe(`drop database if exists ${dbName} with (force)`)
  await server.unsafe(`create database ${dbName}`)
}

const database = openPostgres(URL_, 2)
// The verbs run on a connection of their own, so every query of theirs is served by one server
// process, whose CPU time is read below.
const measuring = openPostgres(URL_, 1)
const config = loadConfig({
  DATABASE_URL: URL_,
  DATA_DIR: await mkdtemp(join(tmpdir(), 'kytb-bench-')),
  LOG_LEVEL: 'silent',
  ADMIN_PASSWORD: 'bench-admin-password',
})
const deps = await prepare(config, createLogger('silent'), { database, clock: fixedClock(NOW) })
const db = database.db
const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[]

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now()
  const value = await fn()
  return [value, performance.now() - t0]
}

// 1. A million cases in one statement. The shape follows a county's year: ~23 months of receipt,
// two partners, 90 % inbound, popular items far busier than the tail, old cases mostly finished,
// recent ones mostly open; a few late conclusions and stale overdue cases.
const [, insertMs] = await timed(async () => {
  if (reuse) return
  await db.transaction(async (tx) => {
    await tx.execute(sql`select setseed(0.2026)`)
    await tx.execute(sql`
      with it as (
        select code, department_code, name, promised_days, (row_number() over (order by code) - 1)::int as rn,
               count(*) over ()::int as n
        from items),
      g as (
        select i, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5
        from generate_series(1, ${CASES}::int) as i),
      c as (
        select g.*, it.code, it.department_code, it.name, it.promised_days,
               timestamptz '2025-01-01 08:00+08' + g.r1 * (timestamptz '2026-11-28 09:00+08' - timestamptz '2025-01-01 08:00+08') as at
        from g join it on it.rn = least(floor(power(g.r2, 3) * it.n)::int, it.n - 1)),
      s as (
        select c.*, (timestamptz '2026-11-28 10:00+08' - at) > interval '30 days' as old,
               case
                 when r3 < (case when (timestamptz '2026-11-28 10:00+08' - at) > interval '30 days' then 0.45 else 0.2 end) then 'delivered'
                 when r3 < (case when (timestamptz '2026-11-28 10:00+08' - at) > interval '30 days' then ${0.92 - STALE}::float8 else 0.4 end) then 'concluded'
                 when r3 < (case when (timestamptz '2026-11-28 10:00+08' - at) > interval '30 days' then ${0.97 - STALE}::float8 else 0.45 end) then 'rejected'
                 when r3 < (case when (timestamptz '2026-11-28 10:00+08' - at) > interval '30 days' then ${1 - STALE}::float8 else 0.47 end) then 'withdrawn'
                 when r4 < 0.2 then 'received'
                 when r4 < 0.5 then 'accepted'
                 when r4 < 0.8 then 'in_process'
                 when r4 < 0.9 then 'correction_requested'
                 else 'suspended'
               end as state
        from c)
      insert into cases (id, case_no, direction, partner_region, agreement_id, partner_case_no, item_code,
        partner_item_code, item_name, department_code, state, applicant_name, document, document_digest,
        delivery_method, promised_days, clock_state, promised_date, overdue_frozen, working_days_used,
        received_at, concluded_at, created_at, updated_at)
      select 'bench-' || i, 'XF-B-' || lpad(i::text, 8, '0'),
        case when r5 < 0.9 then 'inbound' else 'outbound' end,
        case when r5 * 10 - floor(r5 * 10) < 0.6 then '440117' else '441324' end,
        'bench-agreement', 'P-' || i,
        case when r5 < 0.9 then code end, code, name, department_code, state, '申请人', '{}'::jsonb, 'digest',
        'window', promised_days,
        case when state in ('concluded', 'delivered', 'rejected', 'withdrawn') then 'ended'
             when state = 'received' then 'not_started'
             when state in ('accepted', 'in_process') then 'running'
             else 'paused' end,
        case when state = 'received' then null
             else to_char(at + make_interval(days => (promised_days * 7 + 4) / 5) + interval '8 hours', 'YYYY-MM-DD') end,
        case when state in ('concluded', 'delivered') and r4 < 0.05 then 1
             when state in ('correction_requested', 'suspended') and old and r4 > 0.95 then 1
             else 0 end,
        case when state = 'received' then null
             else floor(r4 * 100)::int % (promised_days + 3) end,
        at, case when state in ('concluded', 'delivered') then at + interval '5 days' end, at, at
      -- In receipt order, as a live table grows: recent (open, overdue) cases share recent pages.
      from s order by at`)
  })
})
await db.execute(sql`drop index if exists cases_open_clock_idx`)
await db.execute(sql`analyze cases`)

// 2. The counters, filled from the cases (the same function repairs them in production).
const [, rebuildMs] = await timed(() => rebuildCaseStats({ ctx: contextFor(deps, SYSTEM_ACTOR) }))
await db.execute(sql`vacuum analyze case_stats`) // the rebuild's deletes leave dead rows behind
const [sizes] = rowsOf<{ rows: number; size: string; month: number; item_month: number; item_year: number }>(
  await db.execute(
    sql`select count(*)::int as rows, pg_size_pretty(pg_total_relation_size('case_stats')) as size,
      count(*) filter (where kind = 'month')::int as month, count(*) filter (where kind = 'item_month')::int as item_month,
      count(*) filter (where kind = 'item_year')::int as item_year from case_stats`,
  ),
)

// 3. The verbs, as an administrator and as a clerk of the busiest department.
const admin: Actor = { kind: 'user', userId: 'bench', username: 'admin', role: 'admin', department: null }
const [busiest] = rowsOf<{ department: string; item: string }>(
  await db.execute(sql`select department_code as department, item_code as item from case_stats
    where kind = 'item_year' and item_code <> '' group by 1, 2 order by sum(open + concluded + rejected + withdrawn) desc limit 1`),
)
if (!busiest) throw new Error('no cases were generated')
const clerk: Actor = { ...admin, username: 'clerk', role: 'clerk', department: busiest.department }
const ctxOf = (actor: Actor) => ({ ...contextFor(deps, actor), db: measuring.db })

// The machine is shared and often busy, so wall time alone says more about the neighbours than
// about the verb: each line also gives the CPU time spent per run by this process and by the
// PostgreSQL server process serving it, which is close to the wall time on an idle machine.
const [backend] = rowsOf<{ pid: number }>(await measuring.db.execute(sql`select pg_backend_pid() as pid`))
// Parallel workers are other processes, whose CPU the count below would miss.
await measuring.db.execute(sql`set max_parallel_workers_per_gather = 0`)
const TICK_MS = 10 // USER_HZ = 100 on Linux
const serverCpuMs = () => {
  const fields = readFileSync(`/proc/${backend?.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS
}
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

async function measure(name: string, fn: () => Promise<unknown>) {
  await fn()
  const ms: number[] = []
  const [server0, own0] = [serverCpuMs(), ownCpuMs()]
  for (let i = 0; i < ROUNDS; i++) ms.push((await timed(fn))[1])
  const cpu = (serverCpuMs() - server0 + ownCpuMs() - own0) / ROUNDS
  ms.sort((a, b) => a - b)
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]?.toFixed(1)
  console.log(
    `${name.padEnd(54)} CPU ${cpu.toFixed(1).padStart(6)} ms   wall median ${at(0.5)} ms, p90 ${at(0.9)} ms`,
  )
}

console.log(
  reuse
    ? '\nReusing the kept database;'
    : `\n${CASES.toLocaleString('en')} cases inserted in ${(insertMs / 1000).toFixed(1)} s;`,
)
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on this machine`
console.log(
  `counters rebuilt in ${(rebuildMs / 1000).toFixed(1)} s: ${sizes?.rows} rows (month ${sizes?.month}, ` +
    `item_month ${sizes?.item_month}, item_year ${sizes?.item_year}), ${sizes?.size}\n`,
)
async function verbs() {
  console.log(`(${load()})`)
  await measure('GET /v1/stats (admin, all months)', () => getStatsSummary({ ctx: ctxOf(admin), input: {} }))
  await measure('GET /v1/stats?from=2026-01&to=2026-06&partner=441324', () =>
    getStatsSummary({ ctx: ctxOf(admin), input: { from: '2026-01', to: '2026-06', partner: '441324' } }),
  )
  await measure(`GET /v1/stats (clerk of ${busiest?.department})`, () =>
    getStatsSummary({ ctx: ctxOf(clerk), input: {} }),
  )
  await measure('getAllItemFigures (all 1,162 items, admin)', () => getAllItemFigures({ ctx: ctxOf(admin) }))
  await measure('getItemFigures (the busiest item)', () =>
    getItemFigures({ ctx: ctxOf(admin), input: { code: busiest?.item ?? '' } }),
  )
  await measure('  of which: the overdue count alone (total)', () =>
    countOverdue(measuring.db, {}, '2026-11-28', []),
  )
}
await verbs()
// For scale: what a per-request aggregate over the cases table itself would cost.
await measure('(for comparison) count(*) group by item_code over cases', () =>
  measuring.db.execute(sql`select item_code, count(*) from cases group by item_code`),
)

// The overdue count reads its cases through the (clock_state, promised_date) index, then the
// heap. A partial index over the open cases that covers the grouped columns (proposed for
// db/schema/exchange.ts, see modules/stats/README.md) turns that into an index-only scan.
await db.execute(sql`create index cases_open_clock_idx on cases (clock_state, promised_date, overdue_frozen,
  partner_region, item_code, department_code, direction, received_at)
  where state in ('submitted', 'received', 'accepted', 'correction_requested', 'correction_submitted', 'in_process', 'suspended')`)
await db.execute(sql`vacuum analyze cases`)
console.log('\nWith the proposed partial index cases_open_clock_idx:')
await verbs()

// 4. The write side: one open → concluded change per transaction, as apply-event.ts makes it,
// without and then with recordStateChange, on two halves of the same sample.
const sample = rowsOf<{ id: string }>(
  await db.execute(sql`select id from cases where state = 'in_process' order by id limit 1000`),
)
async function conclude(ids: { id: string }[], withCounters: boolean) {
  for (const { id } of ids) {
    await withTransaction(ctxOf(SYSTEM_ACTOR), async (tx) => {
      const [row] = rowsOf<{
        item_code: string | null
        department_code: string
        partner_region: string
        direction: 'inbound' | 'outbound'
        received_at: string | Date
      }>(await tx.db.execute(sql`select * from cases where id = ${id} for update`))
      if (!row) return
      await tx.db.execute(sql`update cases set state = 'concluded', clock_state = 'ended' where id = ${id}`)
      if (!withCounters) return
      const after = {
        itemCode: row.item_code,
        departmentCode: row.department_code,
        partnerRegion: row.partner_region,
        direction: row.direction,
        receivedAt: new Date(row.received_at),
        overdueFrozen: 0,
        workingDaysUsed: 3,
      }
      await recordStateChange(tx.db, after, 'in_process', 'concluded')
    })
  }
}
const half = Math.floor(sample.length / 2)
const [, bareMs] = await timed(() => conclude(sample.slice(0, half), false))
const [, countedMs] = await timed(() => conclude(sample.slice(half), true))
await rebuildCaseStats({ ctx: contextFor(deps, SYSTEM_ACTOR) }) // the bare half changed cases uncounted
const per = (ms: number, n: number) => (ms / n).toFixed(2)
console.log(
  `\nA state change in its own transaction (lock, update): ${per(bareMs, half)} ms; ` +
    `with recordStateChange: ${per(countedMs, sample.length - half)} ms (${sample.length - half} changes)`,
)

const show = (f: Figures) =>
  `received ${f.received}, open ${f.open}, concluded ${f.concluded}, rejected ${f.rejected}, withdrawn ${f.withdrawn}, ` +
  `overdue ${f.overdue}, 办结率 ${f.completionRate}, 按时办结率 ${f.onTimeRate}, median working days ${f.medianWorkingDays}`
const summary = await getStatsSummary({ ctx: ctxOf(admin), input: {} })
console.log(`\nTotals: ${show(summary.totals)}`)
for (const p of summary.byPartner) console.log(`Partner ${p.partner}: ${show(p)}`)
for (const i of summary.byItem.slice(0, 3)) console.log(`Item ${i.item}: ${show(i)}`)
for (const m of summary.byMonth.slice(-2)) console.log(`Month ${m.month}: ${show(m)}`)
const all = await getAllItemFigures({ ctx: ctxOf(admin) })
console.log(
  `getAllItemFigures: ${all.size} entries, ${[...all.values()].filter((f) => f.received > 0).length} with cases`,
)

await database.close()
await measuring.close()
if (process.env.KEEP_DB !== '1') await server.unsafe(`drop database if exists ${dbName} with (force)`)
await server.end()
