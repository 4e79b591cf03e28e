/**
 * `npm run seed:load -- COUNT [--partner-mix[=CH:LM]] [--batch-size N] [--database-url URL]`:
 * fills a database with COUNT realistic cases, fast, for benchmarks and demos — never for a
 * production database (it writes plausible but invented people).
 *
 * What it writes (all server-side: one INSERT … SELECT … FROM generate_series per batch of
 * `--batch-size` cases, default 50,000, progress on stderr):
 * - cases over the last 24 months of working days and hours (the volume grows ~60 % over the
 *   span), in receipt order, so the table is laid out as a live one; both partners (Conghua
 *   440117 and Longmen 441324, 60:40 unless `--partner-mix=A:B` says otherwise), 85 % inbound
 *   (the catalogue's cross-city items, popular ones far busier than the tail; department and
 *   time limit from the item) and 15 % outbound (the agreement's outbound items, a department
 *   taken the same way);
 * - each case's events up to now, as the live system would have recorded them (received, then
 *   accepted, in_process, a correction or suspension, concluded/rejected/withdrawn, delivered),
 *   on working days, so that clock_state, promised_date, overdue_frozen and working_days_used
 *   are exactly what modules/calendar/case-clock.ts computes from those events: most cases
 *   delivered or concluded, ~3.5 % rejected, ~1.5 % withdrawn, the last month's cases open,
 *   ~6 % concluded late (those run overdue while open), and a small backlog of stuck cases (in
 *   process or waiting for a correction for months: most of today's overdue ones);
 * - case numbers from `case_no_seq` (XF-<year>-<n>, as live cases get them), partner case
 *   numbers with an `S<run>` infix so a second run never collides;
 * - the statistics counters, rebuilt from the cases at the end (stats' rebuildCaseStats), then
 *   VACUUM ANALYZE of the tables written.
 * Not written: materials, messages (evidence) and outbox rows: a seeded case has no files and
 * nothing to deliver; its correction_submitted events carry no material list either.
 *
 * Agreements: the partner's existing agreement is used (active first); a partner without one
 * gets a draft agreement covering every cross-city item inbound, with a throw-away key (so it
 * trusts nothing). Run it after the gateway's first start (which loads the catalogue), or let
 * it do the same preparation: it migrates and loads the sample catalogue when they are missing.
 *
 * Ids are UUID-shaped but time-ordered (see timeOrderedId), and a batch that fails because the
 * server restarted is run again: a batch is one transaction.
 *
 * PostgreSQL (DATABASE_URL or --database-url) is the target: a million cases (and ~4.4 million
 * events) in 2½ minutes on an idle 2-core machine (~8,000 cases/s, ~44,000 rows/s; about half
 * that when the machine is busy). On the embedded PGlite (no URL) the same code works, about ten
 * times slower (~900 cases/s measured at 50,000, one query at a time on the main thread): fine
 * for the tests' 2,000 or a demo's few thousand, not for a million.
 *
 * Raw SQL (this file only; no request data reaches it): the statements are built from constants
 * and numbers computed here, and every value travels as a bound parameter except the small
 * integer minute offsets inlined by `later`.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { eq, inArray, sql } from 'drizzle-orm'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { ConfigError, loadConfig } from '../config.js'
import type { Actor, Ctx } from '../context.js'
import { openDatabase } from '../db/client.js'
import { migrateDatabase } from '../db/migrate.js'
import { agreementItems, agreements, departments, items } from '../db/schema/index.js'
import { beijingDate, systemClock } from '../lib/clock.js'
import { sqlState } from '../lib/db-errors.js'
import { createLogger } from '../lib/logger.js'
import { createAgreement } from '../modules/agreements/create-agreement.js'
import { addDays } from '../modules/calendar/calendar-date.js'
import { loadCalendar } from '../modules/calendar/overrides/load-calendar.js'
import { loadSampleCatalog } from '../modules/catalog/load-sample-catalog.js'
import { rebuildCaseStats } from '../modules/stats/rebuild-case-stats.js'
import { residentIdCheckChar } from '../simulator/identity.js'
import { PARTNERS, type PartnerProfile } from '../simulator/partners.js'

export const SEED_ACTOR: Actor = { kind: 'system', name: 'seed-load' }

export interface SeedOptions {
  count: number
  /** Shares of Conghua (440117) and Longmen (441324); default [60, 40]. */
  partnerMix?: readonly [number, number]
  /** Cases per statement; default 50,000. */
  batchSize?: number
  /** Makes the cases (not their ids) reproducible; default 2026. */
  seed?: number
  onProgress?: (p: { done: number; total: number; events: number; ms: number }) => void
  /** Called when a batch is retried after the database went away (restart, failover). */
  onRetry?: (err: unknown, attempt: number) => void
}

export interface SeedResult {
  cases: number
  events: number
  /** The run's tag, in every partner case number it wrote (`…S<tag>…`). */
  tag: string
  insertMs: number
  statsMs: number
  vacuumMs: number
  totalMs: number
  agreements: { region: string; id: string; created: boolean }[]
}

/** Working minutes of a day on the axis the cases are spread over: 08:30–17:30. */
const DAY_MINUTES = 540
const DAY_START = 8 * 60 + 30

const SURNAMES = [
  '陈',
  '李',
  '黄',
  '张',
  '梁',
  '刘',
  '何',
  '林',
  '罗',
  '钟',
  '赖',
  '曾',
  '邱',
  '潘',
  '王',
  '吴',
  '周',
  '郑',
  '谢',
  '叶',
  '朱',
  '邓',
  '冯',
  '温',
  '廖',
  '杨',
  '徐',
  '卢',
  '蔡',
  '古',
]
const GIVEN = [
  '志强',
  '美玲',
  '嘉怡',
  '俊杰',
  '丽华',
  '晓明',
  '雅婷',
  '伟东',
  '秀英',
  '家豪',
  '惠敏',
  '国平',
  '建华',
  '淑芬',
  '子轩',
  '梓涵',
  '浩然',
  '诗琪',
  '文斌',
  '玉兰',
  '锦荣',
  '海燕',
  '振宇',
  '佩珊',
]
const MOBILE_PREFIXES = ['135', '136', '137', '138', '139', '150', '158', '159', '186', '187', '188', '189']
const XINFENG_ADDRESS = '广东省韶关市新丰县丰城街道人民东路 8 号'
/** Where Xinfeng collects outbound cases (create-outbound-case.ts writes the same). */
const OUR_WINDOW = { code: 'XF-ZWFW-KYTB', name: '新丰县政务服务中心 跨域通办专窗' }
const PARTNER_ORDER = [PARTNERS.conghua, PARTNERS.longmen] as const

/** A small deterministic PRNG (mulberry32), so the people pool is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A few hundred applicants: every surname × given-name pair, with valid resident ID numbers. */
function peoplePool(seed: number) {
  const rnd = prng(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo))
  const names: string[] = []
  const ids: string[] = []
  const mobiles: string[] = []
  const regions = ['440117', '441324', '440233']
  for (const s of SURNAMES) {
    for (const g of GIVEN) {
      const birth = `${int(1955, 2006)}${String(int(1, 13)).padStart(2, '0')}${String(int(1, 29)).padStart(2, '0')}`
      const first17 = `${regions[int(0, regions.length)]}${birth}${String(int(0, 1000)).padStart(3, '0')}`
      names.push(s + g)
      ids.push(first17 + residentIdCheckChar(first17))
      mobiles.push(
        MOBILE_PREFIXES[int(0, MOBILE_PREFIXES.length)] + String(int(0, 100_000_000)).padStart(8, '0'),
      )
    }
  }
  return { names, ids, mobiles }
}

const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[]

/**
 * An agreement request for `profile` covering every item of `crossCity` inbound (Conghua sends
 * basic codes, the default; Longmen its own, crosswalked as `LM-441324-<basic code>`) and the
 * partner's outbound item, valid from three years back to the end of next year.
 */
export function partnerAgreementRequest(
  profile: PartnerProfile,
  crossCity: readonly { code: string; basicCode: string }[],
  publicJwk: JWK,
  now: Date,
  maxPayloadBytes?: number,
) {
  const year = Number(beijingDate(now).slice(0, 4))
  return {
    partner: { region: profile.region, name: profile.nameZh },
    format: profile.format.id,
    endpoint: `https://kytb.${profile.name}.example/v1/exchange`,
    keys: { keys: [publicJwk] },
    validFrom: `${year - 3}-01-01`,
    validUntil: `${year + 1}-12-31`,
    items: [
      ...crossCity.map((i) => ({
        direction: 'inbound' as const,
        itemCode: i.code,
        ...(profile.inbound.crosswalk
          ? {
              partnerItemCode:
                i.code === profile.inbound.itemCode ? profile.inbound.sendsCode : `LM-441324-${i.basicCode}`,
            }
          : {}),
      })),
      { direction: 'outbound' as const, ...profile.outbound },
    ],
    ...(maxPayloadBytes ? { maxPayloadBytes } : {}),
  }
}

/** The partner's agreement (active first, else the newest); a draft one when it has none. */
async function seedAgreement(
  ctx: Ctx,
  profile: PartnerProfile,
  crossCity: { code: string; basicCode: string }[],
) {
  const existing = await ctx.db
    .select({ id: agreements.id, status: agreements.status, createdAt: agreements.createdAt })
    .from(agreements)
    .where(eq(agreements.partnerRegion, profile.region))
  existing.sort(
    (a, b) =>
      Number(b.status === 'active') - Number(a.status === 'active') ||
      b.createdAt.getTime() - a.createdAt.getTime(),
  )
  if (existing[0]) return { id: existing[0].id, created: false }
  // A throw-away key: the draft trusts nothing, and nobody holds the private half.
  const { publicKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), kid: `seed-${profile.name}-1`, alg: 'ES256' } as JWK
  const created = await createAgreement({
    ctx,
    input: partnerAgreementRequest(profile, crossCity, publicJwk, ctx.clock.now()),
  })
  return { id: created.id, created: true }
}

/**
 * A batch is one transaction, so one that failed because the server restarted under it left
 * nothing behind: it is run again (up to 10 times, 2 s apart) once the server is back.
 */
export async function retryOnRestart<T>(run: () => Promise<T>, onRetry?: SeedOptions['onRetry']): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (err) {
      if (attempt >= 10 || !connectionLost(err)) throw err
      onRetry?.(err, attempt)
      await new Promise((resolve) => setTimeout(resolve, 2000))
    }
  }
}

function connectionLost(err: unknown): boolean {
  const state = sqlState(err)
  if (state?.startsWith('57P') || state?.startsWith('08')) return true
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (
      typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|EPIPE|CONNECTION_(CLOSED|ENDED|DESTROYED))$/.test(code)
    )
      return true
  }
  return false
}

/** Working days around now: the array the SQL indexes, and where the seeded span starts and ends. */
async function workingDays(ctx: Ctx, now: Date) {
  const calendar = await loadCalendar(ctx)
  const today = beijingDate(now)
  const spanStart = `${Number(today.slice(0, 4)) - 2}${today.slice(4, 8)}01`
  const days: string[] = []
  for (let d = addDays(spanStart, -31); days.length < 2000 && d <= addDays(today, 900); d = addDays(d, 1)) {
    if (calendar.isWorkingDay(d)) days.push(d)
  }
  // 1-based ordinals, as SQL arrays index.
  const first = days.findIndex((d) => d >= spanStart) + 1
  let last = 0
  for (let k = 0; k < days.length && (days[k] as string) <= today; k++) last = k + 1
  const bj = new Date(now.getTime() + 8 * 3600_000)
  const minutesNow = bj.getUTCHours() * 60 + bj.getUTCMinutes() + bj.getUTCSeconds() / 60
  const todayMinutes =
    days[last - 1] === today ? Math.min(DAY_MINUTES, Math.max(0, minutesNow - DAY_START)) : DAY_MINUTES
  return { days, first, last, axisMinutes: (last - first) * DAY_MINUTES + todayMinutes }
}

/**
 * Seeds `count` cases (see the file comment) through the context's database; the same function
 * the CLI, bench/million.ts and tests/cli/seed-load.test.ts use.
 */
export async function seedCases(ctx: Ctx, options: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now()
  const count = Math.floor(options.count)
  if (!(count > 0)) throw new RangeError('count must be a positive number')
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 50_000))
  const [shareCh, shareLm] = options.partnerMix ?? [60, 40]
  if (!(shareCh >= 0 && shareLm >= 0 && shareCh + shareLm > 0)) throw new RangeError('bad partner mix')
  const now = new Date(Math.floor(ctx.clock.now().getTime() / 1000) * 1000)
  const db = ctx.db

  const catalogue = await db
    .select({
      code: items.code,
      basicCode: items.basicCode,
      name: items.name,
      department: items.departmentCode,
      departmentName: departments.name,
      promisedDays: items.promisedDays,
    })
    .from(items)
    .innerJoin(departments, eq(departments.code, items.departmentCode))
    .where(eq(items.crossCity, true))
    .orderBy(items.code)
  if (catalogue.length === 0) throw new Error('the catalogue has no cross-city items: load a catalogue first')

  const seeded: SeedResult['agreements'] = []
  const inboundCodes: string[] = []
  const outbound = { code: [] as string[], name: [] as string[], days: [] as number[] }
  const outOffset: number[] = []
  const outCount: number[] = []
  for (const profile of PARTNER_ORDER) {
    const agreement = await seedAgreement(ctx, profile, catalogue)
    seeded.push({ region: profile.region, ...agreement })
    const covered = await db.select().from(agreementItems).where(eq(agreementItems.agreementId, agreement.id))
    const inbound = new Map(
      covered.filter((c) => c.direction === 'inbound').map((c) => [c.itemCode, c.partnerItemCode]),
    )
    for (const item of catalogue) inboundCodes.push(inbound.get(item.code) ?? item.basicCode)
    const out = covered.filter((c) => c.direction === 'outbound' && c.name && c.promisedDays !== null)
    const list = out.length
      ? out.map((c) => ({ code: c.partnerItemCode, name: c.name as string, days: c.promisedDays as number }))
      : [
          {
            code: profile.outbound.partnerItemCode,
            name: profile.outbound.name,
            days: profile.outbound.promisedDays,
          },
        ]
    outOffset.push(outbound.code.length)
    outCount.push(list.length)
    for (const o of list) {
      outbound.code.push(o.code)
      outbound.name.push(o.name)
      outbound.days.push(o.days)
    }
  }
  const departmentNames = new Map(
    (
      await db
        .select()
        .from(departments)
        .where(inArray(departments.code, [...new Set(catalogue.map((c) => c.department))]))
    ).map((d) => [d.code, d.name]),
  )

  const wd = await workingDays(ctx, now)
  const people = peoplePool(options.seed ?? 2026)
  const tag = Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .toUpperCase()
    .padStart(4, '0')
  // No nulls in these arrays: postgres.js would send them as the text NULL ('' and nullif instead).
  const text = (a: readonly string[]) => sql`${sql.param(a)}::text[]`
  const ints = (a: readonly number[]) => sql`${sql.param(a)}::int[]`

  // The constants every row indexes into, once per statement.
  const params = sql`select
      ${sql.param(wd.days)}::text[]::date[] as wd,
      ${wd.first}::int as o_first, ${wd.last}::int as o_today, ${wd.axisMinutes}::float8 as axis,
      ${now.toISOString()}::timestamptz as now, ${count}::float8 as total, ${tag}::text as tag,
      ${shareCh / (shareCh + shareLm)}::float8 as share_ch,
      ${text(PARTNER_ORDER.map((p) => p.region))} as p_region,
      ${text(seeded.map((a) => a.id))} as p_agreement,
      ${text(PARTNER_ORDER.map((p) => p.caseNoPrefix))} as p_prefix,
      ${text(PARTNER_ORDER.map((p) => p.window.name))} as p_window_name,
      ${text(PARTNER_ORDER.map((p) => p.window.code ?? ''))} as p_window_code,
      ${text(PARTNER_ORDER.map((p) => p.clerk.name))} as p_clerk_name,
      ${text(PARTNER_ORDER.map((p) => p.clerk.id ?? ''))} as p_clerk_id,
      ${text(PARTNER_ORDER.map((p) => p.address))} as p_address,
      ${text(PARTNER_ORDER.map((p) => p.dept))} as p_dept,
      ${catalogue.length}::int as n_items,
      ${text(catalogue.map((c) => c.code))} as i_code,
      ${text(catalogue.map((c) => c.name))} as i_name,
      ${text(catalogue.map((c) => c.department))} as i_dept,
      ${text(catalogue.map((c) => departmentNames.get(c.department) ?? c.departmentName))} as i_dept_name,
      ${ints(catalogue.map((c) => c.promisedDays))} as i_days,
      ${text(inboundCodes)} as i_pcode,
      ${ints(outOffset)} as o_offset, ${ints(outCount)} as o_count,
      ${text(outbound.code)} as o_code, ${text(outbound.name)} as o_name, ${ints(outbound.days)} as o_days,
      ${people.names.length}::int as n_people,
      ${text(people.names)} as pe_name, ${text(people.ids)} as pe_id, ${text(people.mobiles)} as pe_mobile`

  // A Beijing wall-clock time on a working day (by ordinal) as an instant, to the second.
  const at = (ordinal: unknown, minutes: unknown) =>
    sql`date_trunc('second', ((p.wd[${ordinal}]::timestamp + (${minutes}) * interval '1 minute') - interval '8 hours') at time zone 'UTC')`
  const iso = (ts: unknown) =>
    sql`to_char((${ts}) at time zone 'UTC' + interval '8 hours', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`
  const day = (ordinal: unknown) => sql`to_char(p.wd[${ordinal}], 'YYYY-MM-DD')`
  // A UUID of version 7's layout (milliseconds first, then random bits) from the case's receipt:
  // the rows go in near the end of the primary keys' B-trees, not all over them, which keeps the
  // load's rate from falling as the table grows. Live cases get random (v4) ids; both are text.
  const timeOrderedId = (
    ts: unknown,
  ) => sql`(select substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(h, 14, 3)
      || '-' || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)
      from (select lpad(to_hex((extract(epoch from ${ts}) * 1000)::bigint), 12, '0') || md5(random()::text) as h) as x)`
  const later = (ts: unknown, prev: unknown, minutes: number) =>
    sql`greatest(${ts}, ${prev} + interval '${sql.raw(String(minutes))} minutes')`

  // Every stage joins the one-row `p` for its constants rather than carrying them along: the
  // materialized stages then hold a few dozen scalars per case, not copies of the arrays. Each
  // stage ends in `offset 0`, which keeps the planner from folding it into the next: folded,
  // every use of a column repeats the expression behind it, and the chain of timestamps (each
  // defined from the one before) grows exponentially, making a 100-case batch take 90 ms.
  const batch = (from: number, to: number) => sql`
    with p as materialized (${params}),
    g as materialized (
      select i, random() as r_item, random() as r_part, random() as r_dir, random() as r_fate,
        random() as r_lag, random() as r_u, random() as r_late, random() as r_pause, random() as r_ptype,
        random() as r_op, random() as r_deliv, random() as r_dlag, random() as r_person, random() as r_min,
        random() as r_ob
      from generate_series(${from}::int, ${to}::int) as i),
    a as (
      select g.*,
        1 + least(floor(power(g.r_item, 2.2) * p.n_items)::int, p.n_items - 1) as ii,
        case when g.r_part < p.share_ch then 1 else 2 end as pi,
        g.r_dir < 0.85 as inbound,
        case when g.r_fate < 0.035 then 'rejected' when g.r_fate < 0.05 then 'withdrawn'
             when g.r_fate < 0.051 then 'stuck_run' when g.r_fate < 0.055 then 'stuck_corr'
             when g.r_fate < 0.056 then 'stuck_susp' else 'concluded' end as fate,
        case when g.r_lag < 0.3 then 0 when g.r_lag < 0.8 then 1 else 2 end as lag,
        -- Receipt: a position (minutes) on the axis of working hours, the volume growing ~60 %
        -- over the span (the quantile of a linear density); monotonic in i, so the batches
        -- go in receipt order and the table is laid out as a live one.
        (sqrt(1 + 2 * 0.6 * 1.3 * ((g.i - 0.5) / p.total)) - 1) / 0.6 * p.axis as w
      from g cross join p offset 0),
    b as (
      select a.*, p.o_first + floor(a.w / ${DAY_MINUTES})::int as o_recv,
        a.w - floor(a.w / ${DAY_MINUTES}) * ${DAY_MINUTES} as minute,
        p.o_offset[a.pi] + 1 + floor(a.r_ob * p.o_count[a.pi])::int as oi
      from a cross join p offset 0),
    c as (
      select b.*, b.o_recv + b.lag as o_acc,
        case when b.inbound then p.i_days[b.ii] else p.o_days[b.oi] end as n
      from b cross join p offset 0),
    -- u: working days used at the end (or, for a stuck pause, before it); n: the time limit.
    d as (
      select c.*,
        case when c.fate = 'concluded' and c.r_late < 0.06 then c.n + 1 + floor(c.r_u * 8)::int
             when c.fate = 'concluded' and c.n = 0 then 0
             when c.fate = 'concluded' then 1 + floor(power(c.r_u, 1.5) * c.n)::int
             when c.fate = 'withdrawn' then floor(c.r_u * (c.n + 1))::int
             else 1 + floor(c.r_u * 3)::int end as u
      from c offset 0),
    e as (
      select d.*,
        case when d.fate = 'rejected' then d.o_recv + 1
             when d.fate in ('concluded', 'withdrawn') then d.o_acc + d.u end as o_end,
        case when d.fate = 'stuck_corr' then 'correction_requested' when d.fate = 'stuck_susp' then 'suspended'
             when d.r_ptype < 0.6 then 'correction_requested' when d.r_ptype < 0.8 then 'suspended'
             else 'correction_submitted' end as ptype,
        ${at(sql`d.o_recv`, sql`${DAY_START} + d.minute`)} as t_recv
      from d cross join p offset 0),
    -- Each event at its working day's usual hour, and always after the one before it.
    f as (
      select e.*,
        ${later(at(sql`e.o_acc`, sql`840 + e.r_min * 60`), sql`e.t_recv`, 20)} as t_acc,
        e.fate <> 'rejected' and (e.fate like 'stuck%' or e.o_end >= e.o_acc + 2) as has_ip
      from e cross join p offset 0),
    f2 as (
      select f.*, ${later(at(sql`f.o_acc + 1`, sql`540 + f.r_min * 150`), sql`f.t_acc`, 10)} as t_ip
      from f cross join p offset 0),
    h as (
      select f2.*,
        ${later(
          at(sql`f2.o_end`, sql`960 + f2.r_min * 50`),
          sql`case when f2.has_ip then f2.t_ip when f2.fate = 'rejected' then f2.t_recv else f2.t_acc end`,
          10,
        )} as t_end
      from f2 cross join p offset 0),
    -- A pause: for good in the stuck cases; in 15 % of those still running, on a day so far.
    k as (
      select h.*,
        case when h.fate in ('stuck_corr', 'stuck_susp') then h.o_acc + h.u
             when h.fate = 'concluded' and h.r_pause < 0.15 and h.t_end > p.now
                  and least(p.o_today, h.o_end - 1) >= h.o_acc
               then h.o_acc + floor(h.r_op * (least(p.o_today, h.o_end - 1) - h.o_acc + 1))::int end as o_pause
      from h cross join p offset 0),
    l as (
      select k.*,
        ${later(
          at(sql`k.o_pause`, sql`960 + k.r_min * 50`),
          sql`case when k.o_pause >= k.o_acc + 1 then k.t_ip else k.t_acc end`,
          10,
        )} as t_pause,
        ${at(sql`k.o_end + 1 + floor(k.r_dlag * 3)::int`, sql`600 + k.r_min * 60`)} as t_del
      from k cross join p offset 0),
    -- What has happened by now: a prefix of the case's events.
    m as (
      select l.*, l.fate <> 'rejected' and l.t_acc <= p.now as h_acc,
        l.o_pause is not null and l.t_pause <= p.now as paused
      from l cross join p offset 0),
    q as (
      select m.*,
        m.h_acc and (case when m.paused then m.o_pause >= m.o_acc + 1 else m.has_ip end) and m.t_ip <= p.now as h_ip,
        m.paused and m.ptype = 'correction_submitted' and m.t_pause + interval '15 minutes' <= p.now as h_csub,
        not m.paused and m.o_end is not null and m.t_end <= p.now as h_end,
        not m.paused and m.fate = 'concluded' and m.t_del <= p.now as h_del
      from m cross join p offset 0),
    s as materialized (
      select q.*, ${timeOrderedId(sql`q.t_recv`)} as id, nextval('case_no_seq') as seqno,
        case when q.h_del then 'delivered'
             when q.h_end then (case when q.fate = 'concluded' then 'concluded' else q.fate end)
             when q.paused then (case when q.ptype = 'correction_submitted' and not q.h_csub
                                      then 'correction_requested' else q.ptype end)
             when q.h_ip then 'in_process' when q.h_acc then 'accepted' else 'received' end as state,
        case when q.r_deliv < 0.5 then 'window' when q.r_deliv < 0.85 then 'mail' else 'online' end as method,
        1 + floor(q.r_person * p.n_people)::int as pe,
        p.p_prefix[q.pi] || to_char(q.t_recv at time zone 'UTC' + interval '8 hours', 'YYYYMMDD') || 'S' || p.tag
          || lpad(q.i::text, 7, '0') as partner_no
      from q cross join p),
    -- The clock as case-clock.ts computes it from those events (see the file comment).
    t as materialized (
      select s.*,
        'XF-' || to_char(s.t_recv at time zone 'UTC' + interval '8 hours', 'YYYY') || '-'
          || lpad(s.seqno::text, 6, '0') as case_no,
        case when s.state = 'received' then 'not_started'
             when s.state in ('accepted', 'in_process') then 'running'
             when s.state in ('correction_requested', 'correction_submitted', 'suspended') then 'paused'
             else 'ended' end as clock_state,
        case when s.state not in ('received', 'rejected') then ${day(sql`s.o_acc + s.n`)} end as promised_date,
        case when s.state in ('received', 'accepted', 'in_process', 'rejected') then 0
             when s.state in ('correction_requested', 'correction_submitted', 'suspended')
               then (s.o_pause - s.o_acc > s.n)::int
             else (s.u > s.n)::int end as overdue_frozen,
        case when s.state = 'received' then null when s.state in ('accepted', 'rejected') then 0
             when s.state = 'in_process' then 1
             when s.state in ('correction_requested', 'correction_submitted', 'suspended') then s.o_pause - s.o_acc
             else s.u end as working_days_used,
        case when s.inbound then p.i_pcode[(s.pi - 1) * p.n_items + s.ii] else p.o_code[s.oi] end as item_pcode,
        case when s.inbound then p.i_name[s.ii] else p.o_name[s.oi] end as item_name,
        case when s.inbound then 'ours' else 'theirs' end as handler_side,
        case when s.inbound then 'theirs' else 'ours' end as originator_side,
        case when s.inbound then p.i_dept_name[s.ii] else p.p_dept[s.pi] end as handler_dept,
        p.p_region[s.pi] as region
      from s cross join p),
    cs as (
      insert into cases (id, case_no, direction, partner_region, agreement_id, partner_case_no, item_code,
        partner_item_code, item_name, department_code, state, applicant_name, document, document_digest,
        delivery_method, promised_days, clock_state, promised_date, overdue_frozen, working_days_used,
        received_at, concluded_at, created_at, updated_at)
      select t.id, t.case_no, case when t.inbound then 'inbound' else 'outbound' end, t.region,
        p.p_agreement[t.pi], t.partner_no, case when t.inbound then p.i_code[t.ii] end, t.item_pcode, t.item_name,
        p.i_dept[t.ii], t.state, p.pe_name[t.pe],
        jsonb_build_object(
          'caseNo', case when t.inbound then t.partner_no else t.case_no end,
          'itemCode', t.item_pcode, 'itemName', t.item_name, 'mode', 'proxy', 'receivedAt', ${iso(sql`t.t_recv`)},
          'window', case when t.inbound
            then jsonb_strip_nulls(jsonb_build_object('code', nullif(p.p_window_code[t.pi], ''), 'name', p.p_window_name[t.pi]))
            else ${JSON.stringify(OUR_WINDOW)}::jsonb end,
          'clerk', case when t.inbound
            then jsonb_strip_nulls(jsonb_build_object('name', p.p_clerk_name[t.pi], 'id', nullif(p.p_clerk_id[t.pi], '')))
            else jsonb_build_object('name', 'seed-clerk', 'id', 'seed-clerk') end,
          'applicant', jsonb_build_object('kind', 'person', 'name', p.pe_name[t.pe], 'idType', 'resident_id',
            'idNumber', p.pe_id[t.pe], 'mobile', p.pe_mobile[t.pe]),
          'materials', '[]'::jsonb,
          'delivery', case when t.method = 'mail'
            then jsonb_build_object('method', 'mail', 'recipient', p.pe_name[t.pe], 'mobile', p.pe_mobile[t.pe],
              'address', case when t.inbound then p.p_address[t.pi] else ${XINFENG_ADDRESS} end)
            else jsonb_build_object('method', t.method) end)
          || case when t.inbound then '{}'::jsonb else jsonb_build_object('handlerDept', p.i_dept_name[t.ii]) end,
        rtrim(translate(encode(sha256(convert_to(t.id, 'UTF8')), 'base64'), '+/', '-_'), '='),
        t.method, t.n, t.clock_state, t.promised_date, t.overdue_frozen, t.working_days_used,
        t.t_recv, case when t.state in ('concluded', 'delivered') then t.t_end end, t.t_recv,
        case t.state when 'received' then t.t_recv when 'accepted' then t.t_acc when 'in_process' then t.t_ip
          when 'correction_requested' then t.t_pause when 'suspended' then t.t_pause
          when 'correction_submitted' then t.t_pause + interval '15 minutes'
          when 'delivered' then t.t_del else t.t_end end
      from t cross join p
      returning 1),
    ev as (
      select t.id as case_id, t.t_recv, v.k, v.type, v.side, v.ts, t.inbound, t.partner_no, t.case_no, t.handler_dept,
        t.region, t.promised_date
      from t
      cross join lateral (values
        (1, 'received', t.handler_side, t.t_recv, true),
        (2, 'accepted', t.handler_side, t.t_acc, t.h_acc),
        (3, 'in_process', t.handler_side, t.t_ip, t.h_ip),
        (4, case when t.ptype = 'suspended' then 'suspended' else 'correction_requested' end, t.handler_side,
          t.t_pause, t.paused),
        (5, 'correction_submitted', t.originator_side, t.t_pause + interval '15 minutes', t.h_csub),
        (6, case when t.fate = 'concluded' then 'concluded' else t.fate end,
          case when t.fate = 'withdrawn' then t.originator_side else t.handler_side end, t.t_end, t.h_end),
        (7, 'delivered', case when t.method = 'window' then t.originator_side else t.handler_side end, t.t_del,
          t.h_del)
      ) as v(k, type, side, ts, happened)
      where v.happened),
    es as (
      insert into case_events (id, case_id, side, seq, type, data, document_digest, actor, at, message_id)
      select ${timeOrderedId(sql`e.t_recv`)}, e.case_id, e.side, e.seq, e.type,
        jsonb_build_object('caseNo', case when e.inbound then e.partner_no else e.case_no end,
            'peerCaseNo', case when e.inbound then e.case_no else e.partner_no end,
            'seq', e.seq, 'type', e.type, 'occurredAt', ${iso(sql`e.ts`)})
          || case e.type
               when 'received' then jsonb_build_object('handler', jsonb_build_object('dept', e.handler_dept))
               when 'accepted' then jsonb_build_object('promisedDate', e.promised_date)
               when 'rejected' then jsonb_build_object('reason', '申请材料不符合法定形式，不予受理')
               when 'correction_requested' then jsonb_build_object('reason', '申请材料不齐全，请补正',
                 'correction', jsonb_build_array(
                   jsonb_build_object('code', 'M01', 'name', '身份证明材料', 'note', '请提供清晰的复印件')))
               when 'suspended' then jsonb_build_object('reason', '需现场核验，暂停办理')
               when 'concluded' then jsonb_build_object('result',
                 jsonb_build_object('outcome', 'approved', 'documentName', '办理结果通知书'))
               else '{}'::jsonb end,
        'seed', case when e.side = 'ours' then 'system:seed-load' else 'partner:' || e.region end,
        e.ts, null
      from (select ev.*, row_number() over (partition by ev.case_id, ev.side order by ev.k)::int as seq
            from ev) as e
      returning 1)
    select (select count(*) from cs)::int as cases, (select count(*) from es)::int as events`

  const seed = options.seed ?? 2026
  let done = 0
  let events = 0
  let statsMs = 0
  const tInsert = performance.now()
  try {
    for (let from = 1; from <= count; from += batchSize) {
      const to = Math.min(count, from + batchSize - 1)
      const [row] = await retryOnRestart(
        () =>
          db.transaction(async (tx) => {
            // random() is per session: seeded in the batch's own transaction (one connection).
            await tx.execute(sql`select setseed(${((seed * 7919 + from) % 1_000_003) / 1_000_003})`)
            return rowsOf<{ cases: number; events: number }>(await tx.execute(batch(from, to)))
          }),
        options.onRetry,
      )
      done += row?.cases ?? 0
      events += row?.events ?? 0
      options.onProgress?.({ done, total: count, events, ms: performance.now() - tInsert })
    }
  } finally {
    // The counters must match whatever cases were committed, after a failed batch too.
    if (done > 0) {
      const tStats = performance.now()
      await retryOnRestart(() => rebuildCaseStats({ ctx }), options.onRetry)
      statsMs = performance.now() - tStats
    }
  }
  const insertMs = performance.now() - tInsert - statsMs
  const tVacuum = performance.now()
  await retryOnRestart(
    () => db.execute(sql`vacuum (analyze) cases, case_events, case_stats`),
    options.onRetry,
  )
  const vacuumMs = performance.now() - tVacuum
  return {
    cases: done,
    events,
    tag,
    insertMs,
    statsMs,
    vacuumMs,
    totalMs: performance.now() - t0,
    agreements: seeded,
  }
}

const USAGE =
  'usage: npm run seed:load -- COUNT [--partner-mix[=CONGHUA:LONGMEN]] [--batch-size N] [--seed N] [--database-url URL]'

function usage(message?: string): never {
  if (message) console.error(message)
  console.error(USAGE)
  process.exit(2)
}

/** `--partner-mix` alone means the default 60:40; `--partner-mix 70:30` and `--partner-mix=70:30` both work. */
function normaliseArgs(argv: string[]): string[] {
  const out: string[] = []
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] as string
    if (arg !== '--partner-mix') out.push(arg)
    else if (/^\d+(\.\d+)?:\d+(\.\d+)?$/.test(argv[k + 1] ?? '')) out.push(`--partner-mix=${argv[++k]}`)
    else out.push('--partner-mix=60:40')
  }
  return out
}

async function main(): Promise<void> {
  let args: ReturnType<
    typeof parseArgs<{ allowPositionals: true; options: Record<string, { type: 'string' }> }>
  >
  try {
    args = parseArgs({
      args: normaliseArgs(process.argv.slice(2)),
      allowPositionals: true,
      options: {
        'partner-mix': { type: 'string' },
        'batch-size': { type: 'string' },
        seed: { type: 'string' },
        'database-url': { type: 'string' },
      },
    })
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err))
  }
  const [countText, ...extra] = args.positionals
  const count = Number(countText?.replaceAll('_', ''))
  if (extra.length > 0 || !Number.isInteger(count) || count < 1) usage()
  const mix = (args.values['partner-mix'] ?? '60:40').split(':').map(Number) as [number, number]
  if (mix.length !== 2 || mix.some((n) => !(n >= 0)) || mix[0] + mix[1] <= 0) usage('bad --partner-mix')
  const batchSize = Number(args.values['batch-size'] ?? 50_000)
  if (!Number.isInteger(batchSize) || batchSize < 1) usage('bad --batch-size')
  const seed = Number(args.values.seed ?? 2026)

  let config: ReturnType<typeof loadConfig>
  try {
    const url = args.values['database-url']
    config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', ...(url ? { DATABASE_URL: url } : {}) })
  } catch (err) {
    if (err instanceof ConfigError) usage(err.message)
    throw err
  }
  const database = await openDatabase(config)
  try {
    await migrateDatabase(database)
    const ctx: Ctx = {
      db: database.db,
      config,
      clock: systemClock,
      log: createLogger('warn'),
      actor: SEED_ACTOR,
      signer: { sign: () => Promise.reject(new Error('seed:load signs nothing')) },
    }
    const loaded = await loadSampleCatalog({ ctx })
    if (loaded > 0) console.error(`loaded the sample catalogue (${loaded} items)`)
    const fmt = (n: number) => Math.round(n).toLocaleString('en')
    console.error(
      `seeding ${fmt(count)} cases into ${database.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${config.DATA_DIR})`}, ` +
        `batches of ${fmt(batchSize)}`,
    )
    const result = await seedCases(ctx, {
      count,
      partnerMix: mix,
      batchSize,
      seed,
      onProgress: ({ done, total, events, ms }) =>
        console.error(
          `  ${fmt(done).padStart(11)} / ${fmt(total)} cases, ${fmt(events)} events, ${fmt((done / ms) * 1000)} cases/s`,
        ),
      onRetry: (err, attempt) =>
        console.error(
          `  the database went away (${String((err as Error).cause ?? err).split('\n')[0]}); retry ${attempt} in 2 s`,
        ),
    })
    for (const a of result.agreements) {
      console.error(`  partner ${a.region}: agreement ${a.id}${a.created ? ' (created as a draft)' : ''}`)
    }
    const states = rowsOf<{ state: string; n: number; overdue: number }>(
      await database.db.execute(sql`select state, count(*)::int as n,
        count(*) filter (where (clock_state = 'running' and promised_date < ${beijingDate(new Date())}) or overdue_frozen = 1)::int as overdue
        from cases where partner_case_no like ${`%S${result.tag}%`} group by state order by 2 desc`),
    )
    console.error(
      `  by state: ${states.map((s) => `${s.state} ${fmt(s.n)}${s.overdue ? ` (${fmt(s.overdue)} overdue)` : ''}`).join(', ')}`,
    )
    const seconds = (ms: number) => (ms / 1000).toFixed(1)
    const rows = result.cases + result.events
    console.log(
      `seeded ${fmt(result.cases)} cases and ${fmt(result.events)} events in ${seconds(result.totalMs)} s: ` +
        `insert ${seconds(result.insertMs)} s = ${fmt((result.cases / result.insertMs) * 1000)} cases/s, ` +
        `${fmt((rows / result.insertMs) * 1000)} rows/s; counters ${seconds(result.statsMs)} s; ` +
        `vacuum analyze ${seconds(result.vacuumMs)} s; overall ${fmt((rows / result.totalMs) * 1000)} rows/s`,
    )
  } finally {
    await database.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    // drizzle's message carries the whole statement and its parameters: the first line is enough.
    console.error(`seed:load failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`)
    if (err instanceof Error && err.cause) console.error(`cause: ${String(err.cause)}`)
    process.exit(1)
  })
}
