/**
 * `npm run bench`: the gateway under load, as it is deployed.
 *
 * For each database kind (PostgreSQL on DATABASE server, then the embedded PGlite):
 *  1. intake: the gateway as a child process (`node dist/main.js`, as `npm start` runs it, WORKERS HTTP
 *     processes, the outbox worker off), agreements with Conghua and Longmen registered and
 *     activated through the admin API with keys made here, then ~4 KB signed cases of each
 *     partner from a separate load-generator process at a fixed number in flight;
 *  2. the component limit L: the same work in-process, serially, no HTTP (component-limit.ts);
 *  3. delivery: the `received` status events the intake queued, delivered by the gateway's
 *     outbox worker to a local partner stub (partner-stub.ts) that answers signed receipts.
 * Prints cases/s, p50/p99 latency, errors, the gateway's peak RSS, throughput ÷ L, events/s.
 *
 * Settings (environment):
 *   BENCH_PASSES       postgres,pglite
 *   BENCH_PG_URL       postgres://postgres@127.0.0.1:5432/postgres (server; kytb_bench_<pid> is made and dropped)
 *   BENCH_WORKERS      2 (PostgreSQL pass; PGlite always 1)
 *   BENCH_INFLIGHT     16,64
 *   BENCH_CASES        12000 timed cases per partner and concurrency on PostgreSQL (BENCH_PGLITE_CASES 3000)
 *   BENCH_WARMUP       1000 untimed cases first (PGlite: a third of it)
 *   BENCH_L_CASES      3000 cases for L
 *   BENCH_DELIVERY     5000 status events to deliver
 *   BENCH_CPU_PROF     a directory: run the gateway under `node --cpu-prof` and write profiles there
 *   BENCH_NODE_ARGS    more node options for the gateway's processes (e.g. `--max-semi-space-size=8`)
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { buildGateway } from '../../scripts/build.js'
import type { LimitResult } from './component-limit.js'
import type { LoadResult, LoadSpec } from './load-generator.js'
import { adminToken, type BenchPartner, makePartner, registerAgreement } from './partners.js'
import {
  backendPids,
  type Child,
  cpuMsOf,
  freePort,
  type RssPeak,
  runJson,
  sampleRss,
  startNode,
  stop,
  treeCpuMs,
  waitReady,
} from './processes.js'

type Kind = 'postgres' | 'pglite'

const env = process.env
const num = (name: string, fallback: number) => Number(env[name] ?? fallback)
const PASSES = (env.BENCH_PASSES ?? 'postgres,pglite').split(',') as Kind[]
const PG_URL = env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const WORKERS = num('BENCH_WORKERS', 2)
const INFLIGHT = (env.BENCH_INFLIGHT ?? '16,64').split(',').map(Number)
const DELIVERY = num('BENCH_DELIVERY', 5000)
const L_CASES = num('BENCH_L_CASES', 3000)
const CPU_PROF = env.BENCH_CPU_PROF
const NODE_ARGS = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
const PASSWORD = 'bench-admin-password'
const HERE = new URL('.', import.meta.url).pathname

interface IntakeFigure extends LoadResult {
  rss: RssPeak
  /** CPU per case (ms) of the gateway's processes and of the PostgreSQL server, over the phase. */
  gatewayCpuMsPerCase: number
  postgresCpuMsPerCase: number
}
interface DeliveryFigure {
  events: number
  seconds: number
  rate: number
  deliveredInDb?: number
  rss: RssPeak
}
interface PassResult {
  kind: Kind
  /** 1-minute load average when the pass started and ended: other work on the machine shows here. */
  load: [number, number]
  workers: number
  intake: IntakeFigure[]
  limits: LimitResult[]
  delivery?: DeliveryFigure
  storedCases?: number
}

const log = (line: string) => process.stderr.write(`${line}\n`)
const fmt = (n: number, d = 0) => n.toFixed(d)

/** The environment of every child: ours without any database setting, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...env }
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'WORKERS', 'PORT', 'DATA_DIR']) delete base[k]
  return { ...base, ...extra }
}

function startGateway(opts: {
  port: number
  dataDir: string
  databaseUrl?: string
  workers: number
  outbox: boolean
}): Child {
  const profArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []
  // As `npm start` runs it: the bundle built before the passes (scripts/build.ts).
  return startNode(
    'dist/main.js',
    childEnv({
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      DATA_DIR: opts.dataDir,
      LOG_LEVEL: 'warn',
      ALLOW_INSECURE_ENDPOINTS: 'true',
      ADMIN_PASSWORD: PASSWORD,
      OUTBOX_WORKER_ENABLED: String(opts.outbox),
      WORKERS: String(opts.workers),
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    }),
    ['--enable-source-maps', ...NODE_ARGS, ...profArgs],
    { typescript: false },
  )
}

async function withDatabase<T>(name: string, fn: (url: string) => Promise<T>): Promise<T> {
  const server = postgres(PG_URL, { max: 1, onnotice: () => {} })
  await server.unsafe(`drop database if exists ${name} with (force)`)
  await server.unsafe(`create database ${name}`)
  const url = new URL(PG_URL)
  url.pathname = `/${name}`
  try {
    return await fn(url.toString())
  } finally {
    await server.unsafe(`drop database if exists ${name} with (force)`).catch(() => {})
    await server.end()
  }
}

async function countRows(url: string, query: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql.unsafe(query)
    return Number(row?.n ?? 0)
  } finally {
    await sql.end()
  }
}

/** What the phases of one pass share: the database, the partners and the stub's port. */
interface PassSetup {
  kind: Kind
  workers: number
  partners: BenchPartner[]
  stubPort: number
  dataDir: string
  databaseUrl: string | undefined
}

async function intakePass({
  kind,
  workers,
  partners,
  stubPort,
  dataDir,
  databaseUrl,
}: PassSetup): Promise<IntakeFigure[]> {
  const cases = kind === 'postgres' ? num('BENCH_CASES', 12000) : num('BENCH_PGLITE_CASES', 3000)
  const warmup = kind === 'postgres' ? num('BENCH_WARMUP', 1000) : Math.ceil(num('BENCH_WARMUP', 1000) / 3)
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const gw = startGateway({
    port,
    dataDir,
    databaseUrl,
    workers,
    outbox: false,
  })
  const figures: IntakeFigure[] = []
  try {
    await waitReady(base, gw, 90_000)
    const token = await adminToken(base, PASSWORD)
    for (const p of partners) await registerAgreement(base, token, p, stubPort)
    let phase = 0
    for (const p of partners) {
      for (const concurrency of INFLIGHT) {
        phase++
        const spec: LoadSpec = {
          url: base,
          partner: p.name,
          kid: p.kid,
          privateJwk: p.privateJwk,
          count: cases,
          warmup: phase === 1 || concurrency === INFLIGHT[0] ? warmup : Math.ceil(warmup / 4),
          concurrency,
          runId: `${process.pid}${kind[1]}${phase}`,
        }
        log(`  ${kind}: ${p.name}, ${concurrency} in flight, ${spec.warmup} warm-up + ${cases} timed cases …`)
        const rss = sampleRss(gw.child.pid!)
        // Includes the warm-up and the signing, so the per-case figures are a little high.
        const server = databaseUrl ? await backendPids(databaseUrl) : []
        const cpuBefore = { gateway: treeCpuMs(gw.child.pid!), server: cpuMsOf(server) }
        const result = await runJson<LoadResult>(
          join(HERE, 'load-generator.ts'),
          childEnv({ BENCH_LOAD: JSON.stringify(spec) }),
        )
        const sent = spec.count + spec.warmup
        figures.push({
          ...result,
          rss: rss.stop(),
          gatewayCpuMsPerCase: (treeCpuMs(gw.child.pid!) - cpuBefore.gateway) / sent,
          // Backends opened during the phase count whole: they started in it.
          postgresCpuMsPerCase:
            (cpuMsOf([...new Set([...server, ...(databaseUrl ? await backendPids(databaseUrl) : [])])]) -
              cpuBefore.server) /
            sent,
        })
        log(
          `    ${fmt(result.rate)} cases/s, p50 ${fmt(result.p50, 1)} ms, p99 ${fmt(result.p99, 1)} ms, ` +
            `errors ${result.errors}${result.errorSamples.length ? ` (${result.errorSamples[0]})` : ''}; ` +
            `CPU ms/case: gateway ${fmt(figures.at(-1)!.gatewayCpuMsPerCase, 2)}, postgres ` +
            `${fmt(figures.at(-1)!.postgresCpuMsPerCase, 2)}, client ${fmt(result.clientCpuMsPerCase, 2)}`,
        )
      }
    }
  } finally {
    const code = await stop(gw)
    if (code !== 0) log(`  gateway exited ${code}:\n${gw.output().slice(-3000)}`)
  }
  return figures
}

async function limitPass(kind: Kind): Promise<LimitResult[]> {
  const out: LimitResult[] = []
  for (const partner of ['conghua', 'longmen'] as const) {
    const dataDir = await mkdtemp(join(tmpdir(), 'kytb-bench-l-'))
    const run = (databaseUrl?: string) =>
      runJson<LimitResult>(
        join(HERE, 'component-limit.ts'),
        childEnv({
          BENCH_L: JSON.stringify({
            ...(databaseUrl ? { databaseUrl } : {}),
            dataDir,
            count: L_CASES,
            warmup: Math.ceil(L_CASES / 3),
            partner,
          }),
        }),
      )
    log(`  ${kind}: component limit L, ${partner}, ${L_CASES} cases serially …`)
    try {
      const r = kind === 'postgres' ? await withDatabase(`kytb_bench_${process.pid}_l`, run) : await run()
      log(
        `    L = ${fmt(r.rate)} cases/s (CPU ms/case: Node ${fmt(r.cpuMsPerCase, 2)}, postgres ` +
          `${fmt(r.pgCpuMsPerCase, 2)}; alone: verify ` +
          `${fmt(r.verifyRate)}/s, parse ${fmt(r.parseRate)}/s, sign ${fmt(r.signRate)}/s)`,
      )
      out.push(r)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  return out
}

async function deliveryPass({
  kind,
  workers,
  partners,
  stubPort,
  dataDir,
  databaseUrl,
}: PassSetup): Promise<DeliveryFigure> {
  const stub = startNode(
    join(HERE, 'partner-stub.ts'),
    childEnv({
      BENCH_STUB: JSON.stringify({
        port: stubPort,
        partners: partners.map((p) => ({ region: p.region, kid: p.kid, privateJwk: p.privateJwk })),
      }),
    }),
  )
  const stats = async () =>
    (await (await fetch(`http://127.0.0.1:${stubPort}/stats`)).json()) as {
      count: number
      firstAt: number
      lastAt: number
    }
  const port = await freePort()
  let gw: Child | undefined
  let rss: ReturnType<typeof sampleRss> | undefined
  try {
    for (let i = 0; !(await stats().catch(() => undefined)); i++) {
      if (i > 100) throw new Error(`stub did not start:\n${stub.output()}`)
      await sleep(100)
    }
    log(`  ${kind}: delivery of ${DELIVERY} queued status events to a local partner stub …`)
    gw = startGateway({ port, dataDir, databaseUrl, workers, outbox: true })
    rss = sampleRss(gw.child.pid!)
    const by = Date.now() + 300_000
    let s = await stats()
    while (s.count < DELIVERY && Date.now() < by) {
      if (gw.child.exitCode !== null) throw new Error(`gateway exited:\n${gw.output()}`)
      await sleep(50)
      s = await stats()
    }
    const seconds = (s.lastAt - s.firstAt) / 1000
    const figure: DeliveryFigure = {
      events: s.count,
      seconds,
      rate: (s.count - 1) / seconds,
      rss: rss.stop(),
    }
    if (databaseUrl) {
      figure.deliveredInDb = await countRows(
        databaseUrl,
        `select count(*)::int as n from outbox where status = 'delivered'`,
      )
    }
    log(`    ${fmt(figure.rate)} events/s (${figure.events} receipts in ${fmt(seconds, 1)} s)`)
    return figure
  } finally {
    rss?.stop()
    if (gw) {
      const code = await stop(gw)
      if (code !== 0) log(`  gateway exited ${code}:\n${gw.output().slice(-3000)}`)
    }
    await stop(stub)
  }
}

async function pass(kind: Kind): Promise<PassResult> {
  const workers = kind === 'postgres' ? WORKERS : 1
  log(`\n== ${kind} (${workers} HTTP process${workers > 1 ? 'es' : ''}) ==`)
  const partners = [await makePartner('conghua'), await makePartner('longmen')]
  const stubPort = await freePort()
  const dataDir = await mkdtemp(join(tmpdir(), 'kytb-bench-'))
  const result: PassResult = { kind, workers, load: [loadavg()[0]!, 0], intake: [], limits: [] }
  const body = async (databaseUrl?: string) => {
    const setup: PassSetup = { kind, workers, partners, stubPort, dataDir, databaseUrl }
    result.intake = await intakePass(setup)
    if (databaseUrl) {
      result.storedCases = await countRows(databaseUrl, `select count(*)::int as n from cases`)
    }
    result.limits = await limitPass(kind)
    result.delivery = await deliveryPass(setup)
  }
  try {
    if (kind === 'postgres') await withDatabase(`kytb_bench_${process.pid}`, body)
    else await body()
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
  result.load[1] = loadavg()[0]!
  return result
}

function report(results: PassResult[]): string {
  const lines: string[] = []
  const cpu = cpus()
  lines.push(
    `date ${new Date().toISOString()}; ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}; ` +
      `${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}`,
  )
  for (const r of results) {
    lines.push('', `### ${r.kind} (${r.workers} HTTP process${r.workers > 1 ? 'es' : ''})`, '')
    lines.push(`load average (1 min) at start ${fmt(r.load[0], 1)}, at end ${fmt(r.load[1], 1)}`, '')
    lines.push(
      '| partner | in flight | cases | cases/s | p50 ms | p99 ms | max ms | errors | peak RSS MB (total / largest process) | CPU ms/case (gateway / postgres / load generator) |',
    )
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |')
    for (const f of r.intake) {
      lines.push(
        `| ${f.partner} | ${f.concurrency} | ${f.count} | ${fmt(f.rate)} | ${fmt(f.p50, 1)} | ${fmt(f.p99, 1)} | ` +
          `${fmt(f.max, 1)} | ${f.errors} | ${fmt(f.rss.totalMb)} / ${fmt(f.rss.largestMb)} | ` +
          `${fmt(f.gatewayCpuMsPerCase, 2)} / ${fmt(f.postgresCpuMsPerCase, 2)} / ${fmt(f.clientCpuMsPerCase, 2)} |`,
      )
    }
    if (r.storedCases !== undefined) lines.push('', `cases stored: ${r.storedCases}`)
    lines.push('')
    for (const l of r.limits) {
      const best = Math.max(...r.intake.filter((f) => f.partner === l.partner).map((f) => f.rate))
      const at64 = r.intake.find((f) => f.partner === l.partner && f.concurrency === Math.max(...INFLIGHT))
      lines.push(
        `L (${l.partner}) = ${fmt(l.rate)} cases/s serial, CPU ms/case Node ${fmt(l.cpuMsPerCase, 2)}, ` +
          `postgres ${fmt(l.pgCpuMsPerCase, 2)} ` +
          `(verify ${fmt(l.verifyRate)}/s, parse ${fmt(l.parseRate)}/s, sign ${fmt(l.signRate)}/s alone); ` +
          `throughput ÷ L = ${fmt((at64?.rate ?? best) / l.rate, 2)} at ${Math.max(...INFLIGHT)} in flight, ` +
          `${fmt(best / l.rate, 2)} best`,
      )
    }
    const top = Math.max(...INFLIGHT)
    const atTop = r.intake.filter((f) => f.concurrency === top)
    const mark = (ok: boolean) => (ok ? '✓' : '✗')
    const ratioOk = r.limits.every((l) => atTop.some((f) => f.partner === l.partner && f.rate >= l.rate))
    const best = Math.max(...r.intake.map((f) => f.rate))
    const worstP99 = Math.max(...atTop.map((f) => f.p99))
    const largest = Math.max(...r.intake.map((f) => f.rss.largestMb))
    const total = Math.max(...r.intake.map((f) => f.rss.totalMb))
    lines.push(
      '',
      `targets: throughput ≥ L ${mark(ratioOk)}; ≥ 2,000 cases/s ${mark(best >= 2000)} (best ${fmt(best)}); ` +
        `p99 ≤ 50 ms at ${top} in flight ${mark(worstP99 <= 50)} (worst ${fmt(worstP99, 1)} ms); ` +
        `RSS < 256 MB: largest process ${mark(largest < 256)} (${fmt(largest)} MB), ` +
        `all processes ${mark(total < 256)} (${fmt(total)} MB)`,
    )
    if (r.delivery) {
      const d = r.delivery
      lines.push(
        '',
        `delivery: ${fmt(d.rate)} status events/s (${d.events} receipts in ${fmt(d.seconds, 1)} s` +
          `${d.deliveredInDb !== undefined ? `; ${d.deliveredInDb} rows delivered in the database` : ''}), ` +
          `peak RSS ${fmt(d.rss.totalMb)} MB total / ${fmt(d.rss.largestMb)} MB largest process`,
      )
    }
  }
  return lines.join('\n')
}

await buildGateway()
const results: PassResult[] = []
for (const kind of PASSES) results.push(await pass(kind))
process.stdout.write(`\n${report(results)}\n`)
if (PASSES.includes('pglite')) {
  process.stdout.write(
    '\nPGlite is the embedded default (one process, one thread, one query at a time), not a throughput target.\n',
  )
}
const failed = results.flatMap((r) => r.intake).filter((f) => f.errors > 0)
if (failed.length > 0) {
  process.stdout.write(`\n${failed.length} phase(s) had errors\n`)
  process.exitCode = 1
}
