/**
 * The load generator: a process of its own, so the gateway's CPU is not shared with it inside
 * one event loop. It renders and signs every case BEFORE the timed window (signing must not
 * limit the measurement; iat stays within the protocol's ±300 s as long as the run takes less
 * than that), then keeps exactly `concurrency` requests in flight over keep-alive connections
 * and prints one JSON line: rate, latency percentiles, errors.
 *
 * Input: the JSON of a LoadSpec in the BENCH_LOAD environment variable (see run.ts).
 */
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { type CryptoKey, importJWK, type JWK } from 'jose'
import type { PartnerName } from '../../src/simulator/partners.js'
import { caseDocuments } from './documents.js'
import { signCases } from './sign-cases.js'

export interface LoadSpec {
  url: string
  partner: PartnerName
  kid: string
  privateJwk: JWK
  /** Timed requests, and untimed ones sent first to warm the JIT and the pools. */
  count: number
  warmup: number
  concurrency: number
  /** Makes case numbers and jtis unique across phases and runs. */
  runId: string
}

export interface LoadResult {
  partner: PartnerName
  concurrency: number
  count: number
  payloadBytes: number
  elapsedMs: number
  rate: number
  p50: number
  p90: number
  p99: number
  max: number
  errors: number
  errorSamples: string[]
  signMs: number
  /** This process's CPU per timed case (ms): the load generator's own share of the machine. */
  clientCpuMsPerCase: number
}

const spec = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadSpec
const key = (await importJWK(spec.privateJwk, 'ES256')) as CryptoKey
const target = new URL('/v1/exchange/cases', spec.url)

const signAll = async (n: number, tag: string): Promise<Buffer[]> =>
  (await signCases(spec.partner, { kid: spec.kid, privateKey: key }, `${spec.runId}${tag}`, n)).map((jws) =>
    Buffer.from(jws, 'latin1'),
  )

const agent = new http.Agent({
  keepAlive: true,
  maxSockets: spec.concurrency,
  maxFreeSockets: spec.concurrency,
})

function post(body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/jose', 'Content-Length': body.byteLength },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** Sends every body with `concurrency` lanes; returns the latency of each (ms) and the failures. */
async function drive(bodies: Buffer[]) {
  const latencies = new Float64Array(bodies.length)
  const errorSamples: string[] = []
  let errors = 0
  let next = 0
  const lane = async () => {
    while (next < bodies.length) {
      const i = next++
      const started = performance.now()
      try {
        const res = await post(bodies[i]!)
        if (res.status !== 201) {
          errors++
          if (errorSamples.length < 5) errorSamples.push(`${res.status} ${res.text.slice(0, 300)}`)
        }
      } catch (err) {
        errors++
        if (errorSamples.length < 5) errorSamples.push(String(err))
      }
      latencies[i] = performance.now() - started
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: spec.concurrency }, lane))
  return { elapsedMs: performance.now() - started, latencies, errors, errorSamples }
}

const signStarted = performance.now()
const warm = await signAll(spec.warmup, 'w')
const timed = await signAll(spec.count, 't')
const signMs = performance.now() - signStarted

if (spec.warmup > 0) {
  const w = await drive(warm)
  if (w.errors > 0) console.error(`warm-up: ${w.errors} errors, e.g. ${w.errorSamples[0]}`)
}
const cpu = process.cpuUsage()
const run = await drive(timed)
const used = process.cpuUsage(cpu)
const sorted = Array.from(run.latencies).sort((a, b) => a - b)
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
const result: LoadResult = {
  partner: spec.partner,
  concurrency: spec.concurrency,
  count: spec.count,
  payloadBytes: caseDocuments(spec.partner, 'x')(0).byteLength,
  elapsedMs: run.elapsedMs,
  rate: spec.count / (run.elapsedMs / 1000),
  p50: at(0.5),
  p90: at(0.9),
  p99: at(0.99),
  max: sorted[sorted.length - 1] ?? 0,
  errors: run.errors,
  errorSamples: run.errorSamples,
  signMs,
  clientCpuMsPerCase: (used.user + used.system) / 1000 / spec.count,
}
agent.destroy()
process.stdout.write(`${JSON.stringify(result)}\n`)
