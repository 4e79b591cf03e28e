/**
 * The processes of the fault run: gateway instances (`node --import tsx src/main.ts`, one
 * process each, output to a log file), the PostgreSQL restart, and cleaning up whatever is
 * still running however the run ends.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { createWriteStream, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export interface Gateway {
  name: string
  port: number
  url: string
  logPath: string
  /** The running process (undefined while killed). */
  proc: ChildProcess | undefined
  /** Process ids this instance has had (the worker's instance id contains the pid). */
  pids: number[]
  start(): void
  /** SIGKILL: no shutdown, no lease release. */
  kill(): void
  /** SIGTERM and wait (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>
  /** Exit codes of earlier processes that ended on their own (a crash is a finding). */
  unexpectedExits: string[]
}

const live = new Set<ChildProcess>()
/** Processes we killed or stopped on purpose: their exit is not a crash. */
const expectedExit = new WeakSet<ChildProcess>()

export function createGateway(o: {
  name: string
  port: number
  env: Record<string, string>
  logDir: string
  /** Called when a process ends that nobody stopped (a crash). */
  onCrash?: (what: string) => void
}) {
  const logPath = join(o.logDir, `${o.name}.log`)
  const log = createWriteStream(logPath, { flags: 'a' })
  const gw: Gateway = {
    name: o.name,
    port: o.port,
    url: `http://127.0.0.1:${o.port}`,
    logPath,
    proc: undefined,
    pids: [],
    unexpectedExits: [],
    start() {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: REPO_ROOT,
        env: { ...baseEnv(), ...o.env, PORT: String(o.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      log.write(`\n=== ${new Date().toISOString()} started pid ${proc.pid}\n`)
      proc.stdout?.pipe(log, { end: false })
      proc.stderr?.pipe(log, { end: false })
      live.add(proc)
      gw.proc = proc
      if (proc.pid) gw.pids.push(proc.pid)
      proc.on('exit', (code, signal) => {
        live.delete(proc)
        log.write(`=== ${new Date().toISOString()} pid ${proc.pid} exited code ${code} signal ${signal}\n`)
        if (!expectedExit.has(proc)) {
          const what = `${o.name} pid ${proc.pid} exited on its own: code ${code} signal ${signal}`
          gw.unexpectedExits.push(what)
          o.onCrash?.(what)
        }
        if (gw.proc === proc) gw.proc = undefined
      })
    },
    kill() {
      const proc = gw.proc
      if (!proc) return
      expectedExit.add(proc)
      proc.kill('SIGKILL')
      gw.proc = undefined
    },
    async stop(graceMs = 10_000) {
      const proc = gw.proc
      if (!proc || proc.exitCode !== null) return
      expectedExit.add(proc)
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
      proc.kill('SIGTERM')
      if ((await Promise.race([exited.then(() => 'ok'), sleep(graceMs, 'late')])) === 'late') {
        proc.kill('SIGKILL')
        await exited
      }
    },
  }
  return gw
}

/** The environment a gateway gets: this one without settings that would change the run. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue
    if (
      /^(DATABASE_|GATEWAY_|OUTBOX_|DELIVERY_|DEMO_|METRICS_|WORKERS$|PORT$|HOST$|DATA_DIR$|ADMIN_PASSWORD$)/.test(
        k,
      )
    )
      continue
    env[k] = v
  }
  return env
}

/** Kills every gateway process still running (SIGKILL): the last resort on any exit path. */
export function killAll(): void {
  for (const proc of live) {
    try {
      proc.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** GET {url}/readyz until 200 or the time is up. */
export async function waitReady(gw: Gateway, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (!gw.proc) throw new Error(`${gw.name} is not running (see ${gw.logPath})`)
    try {
      const res = await fetch(`${gw.url}/readyz`, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      if (res.ok) return Date.now() - started
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  throw new Error(`${gw.name} not ready after ${timeoutMs} ms:\n${tail(gw.logPath, 20)}`)
}

export function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/**
 * The command that restarts the local PostgreSQL: $FAULTS_PG_RESTART (run by sh), else
 * `pg_ctlcluster --skip-systemctl-redirect <the only version in /etc/postgresql> main restart`.
 */
export function pgRestartCommand(): { file: string; args: string[] } {
  const custom = process.env.FAULTS_PG_RESTART
  if (custom) return { file: 'sh', args: ['-c', custom] }
  let versions: string[] = []
  try {
    versions = readdirSync('/etc/postgresql').filter((v) => /^\d+$/.test(v))
  } catch {
    // no Debian cluster layout
  }
  const version = process.env.FAULTS_PG_VERSION ?? versions.sort().at(-1)
  if (!version) throw new Error('cannot find a PostgreSQL cluster to restart: set FAULTS_PG_RESTART')
  return { file: 'pg_ctlcluster', args: ['--skip-systemctl-redirect', version, 'main', 'restart'] }
}

/** Restarts PostgreSQL; resolves with how long the command took. */
export async function restartPostgres(): Promise<number> {
  const { file, args } = pgRestartCommand()
  const started = Date.now()
  await new Promise<void>((resolve, reject) => {
    execFile(file, args, { timeout: 120_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message} ${stderr}`))
      else resolve()
    })
  })
  return Date.now() - started
}
