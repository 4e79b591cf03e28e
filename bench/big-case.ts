/**
 * Big cases against the gateway running as a process of its own (`node --import tsx src/main.ts`
 * on a fresh PostgreSQL database): how much memory a case of 15 and of 20 MiB of files costs it,
 * and whether a message over the agreement's limit is refused before it has been read.
 *
 * Run: npm run bench:big-case [-- --database-url URL] [--keep] [--no-results] [--label TEXT]
 *   --database-url  server (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres);
 *                   creates kytb_bigcase_<pid>, dropped at the end unless --keep
 *
 * Sizes. exchange-protocol-v1 limits the JWS *payload* (the decoded document), 20 MiB by default.
 * Files travel base64 in the document, so 20 MiB of files make a 26.7 MiB payload; this bench's
 * agreement therefore allows 28 MiB (agreements may allow up to 50 MiB), and sends:
 *   - "15 MiB of files": a payload just under the protocol's default 20 MiB;
 *   - "20 MiB of files": a 26.7 MiB payload, a 35.6 MiB request body (the JWS is base64url again);
 *   - over the limit: a 45 MiB body declared with Content-Length, the same chunked, and a body
 *     declaring more than the gateway's absolute cap (EXCHANGE_MAX_BODY_BYTES, 70 MiB).
 * Memory: VmHWM of the gateway process is reset (/proc/<pid>/clear_refs) just before each case
 * and read after its response; growth = peak − VmRSS before. Target: under 3 × the payload.
 * Each size is measured as the first big case of a fresh gateway process (after five 64 KiB
 * cases) and once more right after it, on three processes each: when the garbage collector runs
 * moves the peak by tens of MiB, so the summary gives medians.
 * Bytes the gateway read from its sockets: /proc/<pid>/io rchar, before and after.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { CompactSign, exportJWK, generateKeyPair, type JWK } from 'jose'
import postgres from 'postgres'
import type { CanonicalCase, Material } from '../src/modules/formats/canonical.js'
import { conghuaXmlV1 } from '../src/modules/formats/conghua-xml-v1/index.js'
import { agreementRequest, GATEWAY_REGION, generatedCase, PARTNERS } from '../src/simulator/index.js'

const { values: opt } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-results': { type: 'boolean', default: false },
    label: { type: 'string' },
  },
})
const MiB = 1024 * 1024
const LIMIT = 28 * MiB
const REPEATS = 3
const ADMIN_PASSWORD = 'bench-admin-password'
const CONGHUA = PARTNERS.conghua

const base = new URL(
  opt['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
)
const urlOf = (name: string) => {
  const u = new URL(base)
  u.pathname = `/${name}`
  return u.toString()
}
const dbName = `kytb_bigcase_${process.pid}`
const server = postgres(urlOf('postgres'), { max: 1, onnotice: () => {} })
await server.unsafe(`create database ${dbName}`)

const lines: string[] = []
const say = (line = '') => {
  console.log(line)
  lines.push(line)
}
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`

// ── The gateway, as its own process ──

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const address = probe.address()
    probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
  })
})
const origin = `http://127.0.0.1:${port}`
const dataDir = await mkdtemp(join(tmpdir(), 'kytb-bigcase-'))
let gatewayLog = ''
let gateway: ChildProcess | undefined
let pid = 0

/**
 * A fresh gateway process: each big case is measured on one that has served only small warm-up
 * cases, as a gateway meets its first big case, rather than on a heap a previous one enlarged.
 */
async function startGateway() {
  gatewayLog = ''
  gateway = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: urlOf(dbName),
      DATABASE_POOL_SIZE: '4',
      WORKERS: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      OUTBOX_WORKER_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  gateway.stdout?.on('data', (d) => {
    gatewayLog += d
  })
  gateway.stderr?.on('data', (d) => {
    gatewayLog += d
  })
  pid = gateway.pid as number
  await waitForReady()
}

async function stopGateway() {
  const g = gateway
  if (!g || g.exitCode !== null) return
  g.kill('SIGTERM')
  await new Promise((resolve) => g.once('exit', resolve))
}

async function stop() {
  await stopGateway()
  if (!opt.keep) await server.unsafe(`drop database if exists ${dbName} with (force)`)
  else console.log(`kept database ${dbName}`)
  await server.end()
}

async function waitForReady() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${origin}/readyz`)).status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error('the gateway did not start')
}

// ── /proc ──

async function status() {
  const text = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}
const resetPeak = () => writeFile(`/proc/${pid}/clear_refs`, '5')
async function bytesRead() {
  const text = await readFile(`/proc/${pid}/io`, 'utf8')
  return Number(/^rchar:\s+(\d+)/m.exec(text)?.[1] ?? 0)
}

// ── HTTP ──

async function api(path: string, init: { method?: string; token?: string; json?: unknown } = {}) {
  const res = await fetch(`${origin}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
      ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  })
  const body = await res.text()
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`)
  return JSON.parse(body) as Record<string, unknown>
}

interface Sent {
  status: number
  body: string
  /** Body bytes the client had written when the response head arrived. */
  sentAtResponse: number
  sentTotal: number
  responseMs: number
  error?: string
}

/**
 * POSTs `body` to /v1/exchange/cases in 256 KiB writes, each after the socket drained (a fast
 * sender on a local link), noting how much had gone out when the response arrived.
 */
function post(body: Buffer, declaredLength: number | 'chunked'): Promise<Sent> {
  return new Promise((resolve) => {
    const t0 = performance.now()
    let sent = 0
    let sentAtResponse = -1
    let responseMs = 0
    let status = 0
    let text = ''
    let done = false
    const finish = (error?: string) => {
      if (done) return
      done = true
      resolve({
        status,
        body: text,
        sentAtResponse,
        sentTotal: sent,
        responseMs,
        ...(error ? { error } : {}),
      })
    }
    const req = httpRequest(`${origin}/v1/exchange/cases`, {
      method: 'POST',
      agent: false,
      headers: {
        'Content-Type': 'application/jose',
        Connection: 'close',
        ...(declaredLength === 'chunked' ? {} : { 'Content-Length': String(declaredLength) }),
      },
    })
    req.on('response', (res) => {
      sentAtResponse = sent
      responseMs = performance.now() - t0
      status = res.statusCode ?? 0
      res.setEncoding('utf8')
      res.on('data', (d) => {
        text += d
      })
      res.on('end', () => setTimeout(() => finish(), 50))
      res.on('error', (e) => finish(e.message))
    })
    req.on('error', (e) => setTimeout(() => finish(e.message), 50))
    const CHUNK = 256 * 1024
    const write = () => {
      while (sent < body.length && sentAtResponse < 0) {
        const chunk = body.subarray(sent, Math.min(body.length, sent + CHUNK))
        sent += chunk.length
        if (!req.write(chunk)) {
          req.once('drain', write)
          return
        }
      }
      if (sentAtResponse < 0) req.end()
      // Once answered, the client stops sending: what it sent until then is what the server could read.
      else req.destroy()
    }
    write()
  })
}

// ── The case ──

function fileMaterial(k: number, bytes: Buffer): Material {
  return {
    code: `M${String(k).padStart(2, '0')}`,
    name: `扫描件 ${k}`,
    original: false,
    file: {
      name: `scan-${k}.pdf`,
      mediaType: 'application/pdf',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content: bytes.toString('base64'),
    },
  }
}

/** A Conghua case with `total` bytes of files, in 5 MiB files (random: scans do not compress). */
function bigCase(total: number, seq: number): CanonicalCase {
  const doc = generatedCase(CONGHUA, new Date())
  const materials: Material[] = []
  for (let k = 1, left = total; left > 0; k++) {
    const n = Math.min(left, 5 * MiB)
    materials.push(fileMaterial(k, randomBytes(n)))
    left -= n
  }
  return { ...doc, caseNo: `CHBIG${process.pid}${seq}`, materials }
}

async function run() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = 'conghua-big-1'
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } as JWK
  const { token } = (await api('/v1/auth/login', {
    json: { username: 'admin', password: ADMIN_PASSWORD },
  })) as { token: string }
  const agreement = await api('/v1/agreements', {
    token,
    json: {
      ...agreementRequest(CONGHUA, publicJwk, { endpoint: 'https://kytb.conghua.example/v1/exchange' }),
      maxPayloadBytes: LIMIT,
    },
  })
  await api(`/v1/agreements/${agreement.id}/activate`, { method: 'POST', token })

  let jti = 0
  const sign = (payload: Uint8Array) =>
    new CompactSign(payload)
      .setProtectedHeader({
        alg: 'ES256',
        kid,
        typ: 'kytb-case',
        cty: 'xml',
        iss: CONGHUA.region,
        aud: GATEWAY_REGION,
        iat: Math.floor(Date.now() / 1000),
        jti: `big-${process.pid}-${++jti}`,
      } as never)
      .sign(privateKey)

  say(
    `\n### ${new Date().toISOString().slice(0, 16)}Z — gateway process on PostgreSQL, agreement limit ${mib(LIMIT)}` +
      `${opt.label ? ` — ${opt.label}` : ''}`,
  )
  say()
  // Warm-up: small cases, so that code paths, pools and caches are in place before measuring.
  let warmed = 0
  const warmUp = async () => {
    for (let i = 0; i < 5; i++) {
      const small = Buffer.from(await sign(conghuaXmlV1.renderCase(bigCase(64 * 1024, 900 + warmed++))))
      const r = await post(small, small.length)
      if (r.status !== 201) throw new Error(`warm-up case: ${r.status} ${r.body.slice(0, 300)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  // Peak growth depends on when the garbage collector happens to run, so each measurement is
  // repeated on REPEATS fresh processes; the table gives every run, the summary the medians.
  say(
    '| case | run | files | payload (XML) | request body | status | time | RSS before | peak growth | ÷ payload | ÷ body |',
  )
  say('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |')
  const results = new Map<string, { growth: number; payload: number }[]>()
  let seq = 0
  const measureCase = async (name: string, files: number, run: number) => {
    const doc = bigCase(files, seq++)
    const payload = conghuaXmlV1.renderCase(doc)
    const body = Buffer.from(await sign(payload))
    await new Promise((resolve) => setTimeout(resolve, 500))
    const before = await status()
    await resetPeak()
    const sent = await post(body, body.length)
    const after = await status()
    const growth = after.hwm - before.rss
    results.set(name, [...(results.get(name) ?? []), { growth, payload: payload.length }])
    say(
      `| ${name} | ${run} | ${mib(files)} | ${mib(payload.length)} | ${mib(body.length)} | ${sent.status} | ` +
        `${(sent.responseMs / 1000).toFixed(2)} s | ${mib(before.rss)} | ${mib(growth)} | ` +
        `${(growth / payload.length).toFixed(2)} × | ${(growth / body.length).toFixed(2)} × |`,
    )
    if (sent.status !== 201) throw new Error(`${name}: ${sent.status} ${sent.body.slice(0, 500)}`)
    // The case as stored: every file, whole.
    const receipt = JSON.parse(Buffer.from(sent.body.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      caseNo: string
    }
    const detail = (await api(`/v1/cases/${receipt.caseNo}`, { token })) as {
      materials: { size: number; sha256: string }[]
    }
    const stored = detail.materials.reduce((n, m) => n + m.size, 0)
    if (stored !== files) throw new Error(`${name}: ${stored} bytes of files stored, ${files} sent`)
  }
  let first = true
  for (const [label, files] of [
    ['15 MiB of files', 15 * MiB],
    ['20 MiB of files', 20 * MiB],
  ] as const) {
    for (let run = 1; run <= REPEATS; run++) {
      if (!first) {
        await stopGateway()
        await startGateway()
      }
      first = false
      await warmUp()
      await measureCase(`${label}, first big case of the process`, files, run)
      await measureCase(`${label}, right after another`, files, run)
    }
  }
  say()
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number
  let worst = 0
  for (const [name, runs] of results) {
    const ratios = runs.map((r) => r.growth / r.payload)
    worst = Math.max(worst, median(ratios))
    say(
      `- ${name}: peak growth median ${mib(median(runs.map((r) => r.growth)))} = ${median(ratios).toFixed(2)} × the payload ` +
        `(${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} ×)`,
    )
  }
  say(
    `- accepted, files stored whole (checked through GET /v1/cases); each process served five 64 KiB cases ` +
      `first; worst median ${worst.toFixed(2)} × the payload (target under 3 × ${worst < 3 ? '✓' : '✗'})`,
  )

  // ── Over the limit ──
  say()
  say(
    '| over the limit | body | declared | status | client had sent when answered | gateway read (rchar) | peak growth |',
  )
  say('| --- | ---: | --- | --- | ---: | ---: | ---: |')
  const header = Buffer.from(
    JSON.stringify({
      alg: 'ES256',
      kid,
      typ: 'kytb-case',
      cty: 'xml',
      iss: CONGHUA.region,
      aud: GATEWAY_REGION,
      iat: Math.floor(Date.now() / 1000),
      jti: `big-over-${process.pid}`,
    }),
  ).toString('base64url')
  const oversized = Buffer.alloc(45 * MiB, 'A')
  oversized.write(`${header}.`, 0, 'latin1')
  const cases: [string, Buffer, number | 'chunked'][] = [
    ['45 MiB, Content-Length', oversized, oversized.length],
    ['45 MiB, chunked', oversized, 'chunked'],
    ['declares 100 MiB (over the 70 MiB cap)', oversized, 100 * MiB],
  ]
  for (const [name, body, declared] of cases) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    const before = await status()
    const read0 = await bytesRead()
    await resetPeak()
    const sent = await post(body, declared)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const read = (await bytesRead()) - read0
    const after = await status()
    const code = sent.status ? String(sent.status) : `no answer (${sent.error})`
    const problem = /"code":"([a-z_]+)"/.exec(sent.body)?.[1]
    say(
      `| ${name} | ${mib(body.length)} | ${declared === 'chunked' ? 'chunked' : mib(declared)} | ${code}${problem ? ` ${problem}` : ''} | ` +
        `${sent.sentAtResponse >= 0 ? mib(sent.sentAtResponse) : `— (sent ${mib(sent.sentTotal)})`} | ${mib(read)} | ` +
        `${mib(after.hwm - before.rss)} |`,
    )
  }
  say()
  say(
    `- load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores, shared machine)`,
  )
  if (!opt['no-results']) await appendResults(lines)
}

/** Adds this run to the "Big cases" section of bench/RESULTS.md, leaving the rest alone. */
async function appendResults(run: string[]) {
  const file = new URL('./RESULTS.md', import.meta.url)
  const START = '<!-- big-case:start -->'
  const END = '<!-- big-case:end -->'
  let text = await readFile(file, 'utf8').catch(() => '# Benchmark results\n')
  if (!text.includes(START)) {
    text = `${text.trimEnd()}\n\n## Big cases\n\n${START}\nFrom \`npm run bench:big-case\` (bench/big-case.ts); newest run last.\n${END}\n`
  }
  const at = text.indexOf(END)
  text = `${text.slice(0, at)}${run.join('\n')}\n\n${text.slice(at)}`
  await writeFile(file, text)
  console.log('\nappended to bench/RESULTS.md')
}

try {
  await startGateway()
  await run()
} catch (err) {
  console.error(`big-case bench failed: ${err instanceof Error ? err.stack : String(err)}`)
  console.error(`gateway output:\n${gatewayLog.slice(-3000)}`)
  process.exitCode = 1
} finally {
  await stop()
}
