import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROBLEM_MEDIA_TYPE, problemOf } from '../lib/problem.js'
import { autoHandle } from './auto-handle.js'
import { note } from './describe.js'
import { openPartner, type PartnerEnv, type PartnerOptions } from './env.js'
import { type Answer, intake } from './intake.js'

/** Failure modes (to watch the gateway retry) and the handler role; mutable while serving. */
export interface SimulatorModes {
  /** The first N POSTs are answered 503. */
  fail503: number
  /** POSTs are never answered (the gateway's 30 s timeout fires). */
  hang: boolean
  /** Receipts are signed with a throw-away key under the right kid. */
  badReceipt: boolean
  /** Cases the gateway sends are handled: received, accepted, concluded. */
  autoHandle: boolean
}

export interface SimulatorOptions extends PartnerOptions {
  /** Default: the partner's port (conghua 9117, longmen 9324); 0 picks a free one. */
  port?: number
  host?: string
  modes?: Partial<SimulatorModes>
  /** Pause before each auto-handle event (default 1 s). */
  stepDelayMs?: number
}

export interface Simulator {
  env: PartnerEnv
  port: number
  /** The partner's base URL as the agreement names it: `http://127.0.0.1:<port>/v1/exchange`. */
  endpoint: string
  modes: SimulatorModes
  /** Resolves when every auto-handle run started so far has finished (tests). */
  settled(): Promise<void>
  close(): Promise<void>
}

const BASE_PATH = '/v1/exchange'
const MAX_BODY = 25 * 1024 * 1024

/** A partner county on 127.0.0.1 serving `{base}/cases` and `{base}/status`. */
export async function startSimulator(o: SimulatorOptions): Promise<Simulator> {
  const env = await openPartner(o)
  const modes: SimulatorModes = { fail503: 0, hang: false, badReceipt: false, autoHandle: false, ...o.modes }
  const running = new Set<Promise<void>>()
  let failed503 = 0

  const startHandling = (gatewayCaseNo: string) => {
    if (!modes.autoHandle) return
    const run = autoHandle(env, gatewayCaseNo, o.stepDelayMs ?? 1000).catch((err: unknown) => {
      const why = err instanceof Error ? err.message : String(err)
      env.print(
        note(env.profile, `自动办理 ${gatewayCaseNo} 失败: ${why}`, `auto-handle failed: ${why}`).join('\n'),
      )
    })
    running.add(run)
    void run.finally(() => running.delete(run))
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://simulator')
    const path = url.pathname.startsWith(`${BASE_PATH}/`) ? url.pathname.slice(BASE_PATH.length + 1) : ''
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/health')) {
      return send(res, jsonAnswer(200, { partner: env.profile.name, region: env.profile.region, modes }))
    }
    if (req.method !== 'POST' || (path !== 'cases' && path !== 'status')) {
      return send(res, problemAnswer(404, 'not_found', `${req.method} ${url.pathname} is not served here`))
    }
    if (failed503 < modes.fail503) {
      failed503 += 1
      req.resume()
      env.print(
        note(
          env.profile,
          `模拟故障 503（${failed503}/${modes.fail503}）`,
          `simulated 503 (${failed503} of ${modes.fail503})`,
        ).join('\n'),
      )
      return send(res, problemAnswer(503, 'service_unavailable', 'simulated outage (--fail-503)'))
    }
    if (modes.hang) {
      req.resume()
      env.print(
        note(env.profile, `挂起 POST /${path}，不作答复（--hang）`, 'hanging: no answer (--hang)').join('\n'),
      )
      return
    }
    const body = await readBody(req)
    if (body === undefined) return send(res, problemAnswer(413, 'payload_too_large', 'body too large'))
    send(
      res,
      await intake(
        env,
        { badReceipt: modes.badReceipt, onNewCase: startHandling },
        path,
        req.headers['content-type'],
        body,
      ),
    )
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      env.print(note(env.profile, '内部错误', `internal error: ${String(err)}`).join('\n'))
      if (!res.headersSent) send(res, problemAnswer(500, 'internal_error', 'simulator fault'))
    })
  })
  const host = o.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port ?? env.profile.defaultPort, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    env,
    port,
    endpoint: `http://${host}:${port}${BASE_PATH}`,
    modes,
    settled: async () => {
      while (running.size > 0) await Promise.allSettled([...running])
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength
    if (size > MAX_BODY) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function send(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, a.headers)
  res.end(a.body)
}

function jsonAnswer(status: number, value: unknown): Answer {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) }
}

function problemAnswer(status: number, code: Parameters<typeof problemOf>[0], detail: string): Answer {
  return {
    status,
    headers: { 'Content-Type': PROBLEM_MEDIA_TYPE },
    body: JSON.stringify(problemOf(code, detail)),
  }
}
