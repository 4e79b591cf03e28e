/**
 * The component limit L: the same work as one intake, without HTTP, serially, in one process
 * (one core for Node; the database server, when PostgreSQL, is another process): verify the
 * envelope (verifyMessage), then receiveCase, which parses (format.parseCase), validates, runs
 * the intake transaction (case, material, our `received` event, its outbox row, the evidence
 * row) and signs the receipt. Against a fresh database of the kind asked for. Also times the
 * CPU-only steps alone, to show what L is made of.
 *
 * Input: BENCH_L = {"databaseUrl"?: string, "dataDir": string, "count": n, "warmup": n, "partner": name}
 * Output: one JSON line (LimitResult).
 */
import { performance } from 'node:perf_hooks'
import { type CryptoKey, importJWK } from 'jose'
import { createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { contextFor } from '../../src/context.js'
import { createLogger } from '../../src/lib/logger.js'
import { receiveCase } from '../../src/modules/cases/receive-case.js'
import { getFormat } from '../../src/modules/formats/registry.js'
import { makeReceipt, verifyMessage } from '../../src/modules/trust/envelope/index.js'
import type { PartnerName } from '../../src/simulator/partners.js'
import { prepare } from '../../src/start.js'
import { adminToken, makePartner, registerAgreement } from './partners.js'
import { backendPids, cpuMsOf } from './processes.js'
import { signCases } from './sign-cases.js'

interface LimitSpec {
  databaseUrl?: string
  dataDir: string
  count: number
  warmup: number
  partner: PartnerName
}

export interface LimitResult {
  partner: PartnerName
  database: 'postgres' | 'pglite'
  count: number
  /** Cases per second, whole intake (verify + receiveCase), serial. */
  rate: number
  /** Node CPU time per case (ms), user + system, over the timed loop. */
  cpuMsPerCase: number
  /** CPU time of this database's PostgreSQL backends per case (ms); 0 on PGlite (it is in cpuMsPerCase). */
  pgCpuMsPerCase: number
  /** The CPU-only steps alone, per second. */
  verifyRate: number
  parseRate: number
  signRate: number
}

const spec = JSON.parse(process.env.BENCH_L ?? '{}') as LimitSpec
const PASSWORD = 'bench-admin-password'
const config = loadConfig({
  ...(spec.databaseUrl ? { DATABASE_URL: spec.databaseUrl } : {}),
  DATA_DIR: spec.dataDir,
  LOG_LEVEL: 'silent',
  ADMIN_PASSWORD: PASSWORD,
  ALLOW_INSECURE_ENDPOINTS: 'true',
})
const deps = await prepare(config, createLogger('silent'))
const app = createApp(deps)
const send = (path: string, init: RequestInit) => app.request(path, init)
const partner = await makePartner(spec.partner)
await registerAgreement(send, await adminToken(send, PASSWORD), partner, 9)
const privateKey = (await importJWK(partner.privateJwk, 'ES256')) as CryptoKey
const signer = { kid: partner.kid, privateKey }

const verify = (jws: string) =>
  verifyMessage({
    contentType: 'application/jose',
    body: jws,
    expectedTyp: 'kytb-case',
    now: deps.clock.now(),
    ownRegion: config.GATEWAY_REGION,
    trust: deps.trust,
  })

async function intake(jws: string): Promise<void> {
  const message = await verify(jws)
  const format = getFormat(message.agreement.format)!
  const ctx = contextFor(deps, { kind: 'partner', region: message.sender })
  const res = await receiveCase({ ctx, input: { message, jws, format } })
  if (res.status !== 201) throw new Error(`intake answered ${res.status}`)
}

async function timeLoop(items: string[], fn: (jws: string) => Promise<unknown> | unknown) {
  const cpu = process.cpuUsage()
  const server = spec.databaseUrl ? await backendPids(spec.databaseUrl) : []
  const pg = cpuMsOf(server)
  const started = performance.now()
  for (const item of items) await fn(item)
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  return {
    rate: items.length / (ms / 1000),
    cpuMs: (used.user + used.system) / 1000,
    pgCpuMs: cpuMsOf(server) - pg,
  }
}

const runId = `L${process.pid}`
const warm = await signCases(spec.partner, signer, `${runId}w`, spec.warmup)
const timed = await signCases(spec.partner, signer, `${runId}t`, spec.count)
await timeLoop(warm, intake)
const whole = await timeLoop(timed, intake)

// The parts alone, on the same messages (verify and parse are pure; signing needs no database).
const verified = await Promise.all(timed.slice(0, 2000).map(verify))
const parts = timed.slice(0, verified.length)
const verifyRate = (await timeLoop(parts, verify)).rate
const format = getFormat(verified[0]!.agreement.format)!
let i = 0
const parseRate = (await timeLoop(parts, () => format.parseCase(verified[i++]!.payload))).rate
const receipt = makeReceipt({
  ref: 'x',
  digest: 'y',
  receivedAt: new Date(),
  outcome: 'accepted',
  caseNo: 'z',
})
const signRate = (
  await timeLoop(parts, () =>
    deps.signer.sign({
      typ: 'kytb-receipt',
      cty: 'json',
      aud: partner.region,
      payload: receipt,
      now: new Date(),
    }),
  )
).rate

await deps.database.close()
const result: LimitResult = {
  partner: spec.partner,
  database: deps.database.kind,
  count: spec.count,
  rate: whole.rate,
  cpuMsPerCase: whole.cpuMs / spec.count,
  pgCpuMsPerCase: spec.databaseUrl ? whole.pgCpuMs / spec.count : 0,
  verifyRate,
  parseRate,
  signRate,
}
process.stdout.write(`${JSON.stringify(result)}\n`)
