/**
 * The fault run: `npm run test:faults` (10,000 cases, ≤ 15 min) and `npm run test:faults:ci`
 * (600 cases, ≤ 4 min). See docs/operations.md, "What the fault run proves".
 *
 * Two gateway instances (separate processes, one fresh PostgreSQL database, one DATA_DIR for
 * the signing keys) and the two simulated partners (in this process). The partners submit
 * cases to both instances in turn and a clerk works them through the API, while the partners'
 * endpoints answer 503 or hang for periods, one instance is killed with SIGKILL and restarted,
 * and PostgreSQL is restarted. Then, once every outbox is drained, the checks (checks.ts).
 *
 * Options: --ci, --cases N, --keep (keep the work directory with the gateways' logs).
 * Environment: FAULTS_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres, a role that
 * may create databases), FAULTS_PG_RESTART (a shell command; default pg_ctlcluster … restart).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { agreementRequest, PARTNER_NAMES, PARTNERS, type PartnerName } from '../../src/simulator/index.js'
import { type Check, runChecks } from './checks.js'
import { createClerk, type Plan, planOf } from './clerk.js'
import { type FaultPartner, type SubmittedCase, startFaultPartner } from './partners.js'
import {
  createGateway,
  freePort,
  type Gateway,
  killAll,
  pgRestartCommand,
  restartPostgres,
  tail,
  waitReady,
} from './processes.js'
import { type Deadline, GATEWAY_TUNING, PROFILES, type Profile } from './profiles.js'

const { values: args } = parseArgs({
  options: {
    ci: { type: 'boolean' },
    cases: { type: 'string' },
    keep: { type: 'boolean' },
  },
})
const base = PROFILES[args.ci ? 'ci' : 'full']
const profile: Profile = args.cases ? { ...base, cases: Number(args.cases) } : base
if (!Number.isInteger(profile.cases) || profile.cases < 10) {
  console.error('fault run: --cases wants a whole number ≥ 10')
  process.exit(2)
}

const started = Date.now()
const deadline: Deadline = { until: started + profile.boundMs }
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`
const say = (line: string) => console.log(`[${elapsed()}] ${line}`)
const timeline: string[] = []
const mark = (line: string) => {
  timeline.push(`${elapsed()}  ${line}`)
  say(line)
}
/** The run was aborted (or ran out of time) before a fault: not a failure of its own. */
class Aborted extends Error {}
/** What failed along the way (the checks come on top). */
const failures: string[] = []
/** Stops the run early: every loop gives up at its next look at the deadline; checks and cleanup follow. */
const abort = (why: string) => {
  failures.push(why)
  deadline.until = Math.min(deadline.until, Date.now())
  mark(`ABORT: ${why}`)
}

const PG_URL = process.env.FAULTS_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
const runTag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`
const dbName = `kytb_faults_${runTag}`
const databaseUrl = withDatabase(PG_URL, dbName)
const workDir = mkdtempSync(join(tmpdir(), 'kytb-faults-'))
const dataDir = join(workDir, 'data')
const adminPassword = randomBytes(12).toString('base64url')

let admin: postgres.Sql | undefined
let monitor: postgres.Sql | undefined
let databaseCreated = false
const gateways: Gateway[] = []
const partners: FaultPartner[] = []
let cleaned = false

async function cleanup(keepWork: boolean): Promise<void> {
  if (cleaned) return
  cleaned = true
  await Promise.allSettled(partners.map((p) => p.close()))
  await Promise.allSettled(gateways.map((g) => g.stop(8000)))
  killAll()
  await monitor?.end({ timeout: 2 }).catch(() => {})
  if (databaseCreated && admin) {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch((err: unknown) => {
      console.error(`could not drop database ${dbName}: ${String(err)}`)
    })
  }
  await admin?.end({ timeout: 2 }).catch(() => {})
  if (keepWork)
    console.log(
      `work directory kept: ${workDir} (gateway logs: ${gateways.map((g) => g.logPath).join(', ')})`,
    )
  else rmSync(workDir, { recursive: true, force: true })
}

// Whatever happens, no child process outlives the run, and the database is dropped.
process.on('exit', killAll)
for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(event, (err: unknown) => {
    console.error(
      `\nFAULT RUN FAILED (${event}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    )
    const hard = setTimeout(() => {
      killAll()
      process.exit(1)
    }, 15_000)
    void cleanup(true).finally(() => {
      clearTimeout(hard)
      process.exit(1)
    })
  })
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`fault run: ${signal}, stopping`)
    const hard = setTimeout(() => {
      killAll()
      process.exit(130)
    }, 15_000)
    void cleanup(false).finally(() => {
      clearTimeout(hard)
      process.exit(130)
    })
  })
}
// A last resort if something hangs past the bound: kill everything and fail.
const watchdog = setTimeout(() => {
  console.error(`fault run: exceeded ${profile.boundMs / 1000}s plus a minute of grace; killing everything`)
  killAll()
  void cleanup(true).finally(() => process.exit(1))
}, profile.boundMs + 60_000)

try {
  const ok = await run()
  clearTimeout(watchdog)
  await cleanup(Boolean(args.keep) || !ok)
  process.exit(ok ? 0 : 1)
} catch (err) {
  clearTimeout(watchdog)
  console.error(`\nFAULT RUN FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  for (const g of gateways)
    console.error(`--- last lines of ${g.name} (${g.logPath}):\n${tail(g.logPath, 15)}`)
  await cleanup(true)
  process.exit(1)
}

async function run(): Promise<boolean> {
  say(
    `fault run (${profile.name}): ${profile.cases} cases, bound ${profile.boundMs / 60_000} min, database ${dbName}, work ${workDir}`,
  )
  pgRestartCommand() // fails early when there is no way to restart PostgreSQL
  admin = postgres(PG_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${dbName}`)
  databaseCreated = true
  monitor = postgres(databaseUrl, { max: 2, onnotice: () => {}, connect_timeout: 5 })

  // Two instances, started at the same moment: migrations take turns on the advisory lock, and
  // the first start's signing key is created once in the shared DATA_DIR.
  const env = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    ALLOW_INSECURE_ENDPOINTS: 'true',
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: adminPassword,
    ...GATEWAY_TUNING,
  }
  for (const name of ['gateway-a', 'gateway-b']) {
    gateways.push(
      createGateway({
        name,
        port: await freePort(),
        env,
        logDir: workDir,
        onCrash: (what) => abort(`CRASH: ${what} (see ${join(workDir, `${name}.log`)})`),
      }),
    )
  }
  for (const g of gateways) g.start()
  const readyIn = await Promise.all(gateways.map((g) => waitReady(g, 90_000)))
  const [gwA, gwB] = gateways as [Gateway, Gateway]
  mark(
    `gateways ready: ${gateways.map((g, i) => `${g.name} ${g.url} pid ${g.proc?.pid} in ${readyIn[i]} ms`).join(', ')}`,
  )
  const jwks = await Promise.all(
    gateways.map(async (g) =>
      ((await (await fetch(`${g.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys
        .map((k) => k.kid)
        .join(','),
    ),
  )
  if (jwks[0] !== jwks[1]) throw new Error(`the instances publish different keys: ${jwks.join(' vs ')}`)
  say(`both instances publish the same key set: ${jwks[0]}`)

  const urls = gateways.map((g) => g.url)
  const adminApi = createClerk({ urls, username: 'admin', password: adminPassword, inFlight: 4 })
  await adminApi.login(deadline)
  await adminApi.call('POST', '/v1/users', deadline, {
    username: 'fault-clerk',
    password: adminPassword,
    role: 'clerk',
    department: 'MZJ',
  })
  for (const name of PARTNER_NAMES) {
    const p = await startFaultPartner({ name, dataDir: join(workDir, 'partners'), gatewayUrls: urls })
    partners.push(p)
    const body = agreementRequest(PARTNERS[name], p.sim.env.key.publicJwk, { endpoint: p.sim.endpoint })
    const { id } = await adminApi.call<{ id: string }>('POST', '/v1/agreements', deadline, body)
    await adminApi.call('POST', `/v1/agreements/${id}/activate`, deadline)
  }
  say(`partners serving: ${partners.map((p) => `${p.name} ${p.sim.endpoint}`).join(', ')}; agreements active`)
  const clerk = createClerk({
    urls,
    username: 'fault-clerk',
    password: adminPassword,
    inFlight: profile.clerkInFlight,
  })
  await clerk.login(deadline)

  // ---- the load: partners submit, the clerk works each case as soon as its receipt is back
  const submitted: { c: SubmittedCase; plan: Plan }[] = []
  const clerkWork: Promise<void>[] = []
  let clerkDone = 0
  let nextIndex = 0
  const partnerOf = (name: PartnerName) => partners.find((p) => p.name === name) as FaultPartner
  const correction = async (c: SubmittedCase) => {
    const p = partnerOf(c.partner)
    // The partner learns of the request when our event #2 reaches it; then it sends the materials.
    let reached = false
    void p.state.whenApplied(c.partnerCaseNo, 2).then(() => {
      reached = true
    })
    while (!reached) {
      if (Date.now() > deadline.until)
        throw new Error(`${c.partnerCaseNo}: the correction request never reached the partner`)
      await sleep(200)
    }
    await p.correctionSubmitted(c, deadline)
  }
  const submitter = async () => {
    for (;;) {
      const index = nextIndex++
      if (index >= profile.cases || Date.now() > deadline.until) return
      // Pacing: submission i is not sent before i / submitPerSecond seconds into the load.
      const due = loadStart + (index / profile.submitPerSecond) * 1000
      if (due > Date.now()) await sleep(due - Date.now())
      const partner = partners[index % partners.length] as FaultPartner
      try {
        const c = await partner.submit(index, runTag, deadline)
        const plan = planOf(index)
        submitted.push({ c, plan })
        clerkWork.push(
          clerk
            .work(c, plan, deadline, correction)
            .then(() => {
              clerkDone++
            })
            .catch((err: unknown) => {
              failures.push(
                `clerk on ${c.gatewayCaseNo}: ${err instanceof Error ? err.message : String(err)}`,
              )
            }),
        )
      } catch (err) {
        failures.push(`submission ${index}: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }
  const progress = () => submitted.length / profile.cases
  const loadStart = Date.now()
  mark(`load starts: ${profile.cases} cases, up to ${profile.submitPerSecond}/s`)
  const load = Promise.all(Array.from({ length: profile.submitInFlight }, submitter))

  let queue = { pending: 0, delivered: 0, dead: 0 }
  const readQueue = async () => {
    try {
      const rows = await (monitor as postgres.Sql)<{ status: string; n: number }[]>`
        select status, count(*)::int as n from outbox group by status`
      queue = { pending: 0, delivered: 0, dead: 0 }
      for (const r of rows) queue[r.status as keyof typeof queue] = r.n
    } catch {
      // the database is restarting: keep the last figures
    }
    return queue
  }
  const applied = () =>
    partners.reduce((n, p) => n + [...p.state.applied.values()].reduce((m, l) => m + l.seqs.length, 0), 0)
  const progressLine = async () => {
    const q = await readQueue()
    say(
      `progress: submitted ${submitted.length}/${profile.cases}, clerk done ${clerkDone}, outbox pending ${q.pending} delivered ${q.delivered} dead ${q.dead}, partners applied ${applied()} events`,
    )
  }
  const ticker = setInterval(() => void progressLine(), profile.progressEveryMs)

  // ---- alongside: misaddressed messages, refused and audited by both instances all run long
  const refusals = new Map<string, number>()
  let refusing = true
  const refuser = (async () => {
    for (let i = 0; refusing && Date.now() < deadline.until; i++) {
      const answer = await (partners[i % partners.length] as FaultPartner).misaddressed(
        urls[i % urls.length] as string,
      )
      refusals.set(answer, (refusals.get(answer) ?? 0) + 1)
      await sleep(profile.refusalEveryMs)
    }
  })()

  // ---- the faults, at points of the load
  const maintenance = async (enabled: boolean) => {
    await adminApi.call('PUT', '/v1/maintenance', deadline, {
      enabled,
      ...(enabled ? { retryAfter: 2, reason: 'fault run' } : {}),
    })
    mark(enabled ? 'maintenance mode on: intake answers 503, Retry-After 2' : 'maintenance mode off')
  }
  const chaos = runChaos({ progress, gwA, gwB, mark, monitor, maintenance }).catch(
    (err: unknown): ChaosReport => {
      if (!(err instanceof Aborted)) abort(`faults: ${err instanceof Error ? err.message : String(err)}`)
      return { leasedAtKill: [] }
    },
  )
  try {
    await load
    mark(`all submissions answered (${submitted.length} receipts, ${failures.length} failures)`)
    const chaosReport = await chaos
    await Promise.all(clerkWork)
    mark(`clerk finished: ${clerkDone} cases worked, ${clerk.counts.events} events`)
    refusing = false
    await refuser

    // ---- drain: every outbox row delivered and every event applied by its partner
    const expectedEvents = submitted.reduce((n, s) => n + planEventsCount(s.plan), 0)
    for (;;) {
      const q = await readQueue()
      if (q.pending === 0 && applied() >= expectedEvents) break
      if (q.dead > 0 && q.pending === 0) break
      if (Date.now() > deadline.until - 20_000) {
        failures.push(`outbox not drained within the bound: ${q.pending} pending`)
        break
      }
      await sleep(1000)
    }
    clearInterval(ticker)
    await progressLine()
    mark('outbox drained; checking')

    const checks = await runChecks({
      sql: monitor,
      databaseUrl,
      dataDir,
      submitted,
      target: profile.cases,
      partners,
      leasedAtKill: chaosReport.leasedAtKill,
      refusals: {
        sent: [...refusals.values()].reduce((a, b) => a + b, 0),
        answered: refusals.get('401 wrong_audience') ?? 0,
      },
    })
    const odd = [...refusals].filter(([k]) => k !== '401 wrong_audience')
    say(
      `misaddressed messages: ${refusals.get('401 wrong_audience') ?? 0} refused 401 wrong_audience${odd.length ? `; otherwise: ${odd.map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}`,
    )
    const recovered = chaosReport.leasedAtKill.length
      ? await monitor<{ s: number | null }[]>`
          select extract(epoch from max(delivered_at))::float8 as s from outbox where id in ${monitor(chaosReport.leasedAtKill)}`
      : []
    const lastRecovered = recovered[0]?.s
    return report({
      checks,
      failures,
      clerkCounts: clerk.counts,
      chaosReport,
      recoveredSecondsAfterKill:
        lastRecovered && chaosReport.killedAt ? lastRecovered - chaosReport.killedAt / 1000 : undefined,
    })
  } finally {
    clearInterval(ticker)
  }
}

function planEventsCount(plan: Plan): number {
  return plan === 'normal' ? 3 : plan === 'correction' ? 4 : 2
}

interface ChaosReport {
  leasedAtKill: string[]
  killedAt?: number
  pgRestartMs?: number
}

/**
 * The faults, each when the load has reached a point: 503 and hang periods of the partners'
 * endpoints (the simulator's switches, flipped while it serves), a SIGKILL of instance A while
 * it holds leases (and its restart), and a PostgreSQL restart.
 */
async function runChaos(o: {
  progress: () => number
  gwA: Gateway
  gwB: Gateway
  mark: (line: string) => void
  monitor: postgres.Sql
  maintenance: (enabled: boolean) => Promise<void>
}): Promise<ChaosReport> {
  const report: ChaosReport = { leasedAtKill: [] }
  const at = async (fraction: number) => {
    while (o.progress() < fraction && Date.now() < deadline.until) await sleep(100)
    if (Date.now() > deadline.until) throw new Aborted()
  }
  const sim = (name: PartnerName) => (partners.find((p) => p.name === name) as FaultPartner).sim
  const flap503 = async (names: PartnerName[], ms: number) => {
    for (const n of names) sim(n).modes.fail503 = Number.MAX_SAFE_INTEGER
    o.mark(`${names.join(' + ')}: endpoint answers 503 for ${ms / 1000}s`)
    await sleep(ms)
    for (const n of names) sim(n).modes.fail503 = 0
    o.mark(`${names.join(' + ')}: endpoint healthy again`)
  }
  const hang = async (names: PartnerName[], ms: number, during?: () => Promise<void>) => {
    for (const n of names) sim(n).modes.hang = true
    o.mark(`${names.join(' + ')}: endpoint hangs (no answer) for ${ms / 1000}s`)
    const end = Date.now() + ms
    try {
      await during?.()
      if (end > Date.now()) await sleep(end - Date.now())
    } finally {
      for (const n of names) sim(n).modes.hang = false
      o.mark(`${names.join(' + ')}: endpoint answers again`)
    }
  }

  await at(0.08)
  await flap503(['conghua'], profile.flap503Ms)

  await at(0.2)
  await hang(['longmen'], profile.hangMs, async () => {
    // SIGKILL instance A while its worker holds leases (sends in flight to both partners).
    const pid = o.gwA.proc?.pid
    const prefix = `${hostname()}:${pid}:%`
    let ids: string[] = []
    for (let i = 0; i < 100 && ids.length === 0; i++) {
      await sleep(100)
      ids = (
        await o.monitor<{ id: string }[]>`
          select id from outbox where leased_by like ${prefix} and status = 'pending' and lease_until > now()`
      ).map((r) => r.id)
    }
    o.gwA.kill()
    report.killedAt = Date.now()
    report.leasedAtKill = ids
    o.mark(`SIGKILL ${o.gwA.name} (pid ${pid}) holding ${ids.length} outbox leases`)
    await sleep(3000)
    o.gwA.start()
    const ms = await waitReady(o.gwA, 90_000)
    o.mark(`${o.gwA.name} restarted (pid ${o.gwA.proc?.pid}), ready in ${ms} ms`)
  })

  await at(0.3)
  await o.maintenance(true)
  try {
    await sleep(profile.maintenanceMs)
  } finally {
    await o.maintenance(false)
  }

  await at(0.4)
  await flap503(['conghua', 'longmen'], profile.flap503Ms)

  await at(0.55)
  o.mark('PostgreSQL restart begins')
  report.pgRestartMs = await restartPostgres()
  o.mark(`PostgreSQL restarted (${report.pgRestartMs} ms)`)

  await at(0.7)
  await Promise.all([hang(['conghua'], profile.hangMs), flap503(['longmen'], profile.flap503Ms)])

  await at(0.85)
  await flap503(['longmen'], Math.round(profile.flap503Ms / 2))
  return report
}

function report(o: {
  checks: Check[]
  failures: string[]
  clerkCounts: ReturnType<typeof createClerk>['counts']
  chaosReport: ChaosReport
  recoveredSecondsAfterKill: number | undefined
}): boolean {
  const fmt = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none'
  console.log('\n==== fault run report')
  console.log(`profile ${profile.name}: ${profile.cases} cases, took ${elapsed().trim()}`)
  console.log('timeline:')
  for (const t of timeline) console.log(`  ${t}`)
  for (const p of partners) {
    console.log(
      `${p.name}: send retries ${fmt(p.counts.sendRetries)}; refusals answered ${fmt(p.counts.refusals)}`,
    )
  }
  console.log(
    `clerk: ${o.clerkCounts.events} events, retries ${fmt(o.clerkCounts.retries)}; ${o.clerkCounts.committedDespiteFailure} events had committed although their request failed`,
  )
  if (o.recoveredSecondsAfterKill !== undefined) {
    console.log(
      `the killed instance's ${o.chaosReport.leasedAtKill.length} leased rows were all delivered within ${o.recoveredSecondsAfterKill.toFixed(1)}s of the SIGKILL (lease ${GATEWAY_TUNING.OUTBOX_LEASE_SECONDS}s)`,
    )
  }
  console.log('checks:')
  for (const c of o.checks) console.log(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`)
  for (const f of o.failures.slice(0, 20)) console.log(`  FAIL  ${f}`)
  if (o.failures.length > 20) console.log(`  … and ${o.failures.length - 20} more failures`)
  const ok = o.failures.length === 0 && o.checks.every((c) => c.ok)
  console.log(ok ? `\nFAULT RUN PASSED in ${elapsed().trim()}` : `\nFAULT RUN FAILED in ${elapsed().trim()}`)
  return ok
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}
