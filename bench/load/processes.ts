/** Child processes of the load run: the gateway, helpers, their memory, their stop. */
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'

export interface Child {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/** `node --import tsx <script>` (or plain `node <script>` for built JavaScript) with this environment. */
export function startNode(
  script: string,
  env: NodeJS.ProcessEnv,
  extraArgs: string[] = [],
  { typescript = true } = {},
): Child {
  const child = spawn(process.execPath, [...extraArgs, ...(typescript ? ['--import', 'tsx'] : []), script], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output += chunk.toString()
    if (output.length > 200_000) output = output.slice(-100_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

/** Runs a helper to its end and returns the JSON of its last stdout line. */
export async function runJson<T>(
  script: string,
  env: NodeJS.ProcessEnv,
  extraArgs: string[] = [],
): Promise<T> {
  const child = spawn(process.execPath, [...extraArgs, '--import', 'tsx', script], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  const last = out.trim().split('\n').pop() ?? ''
  if (code !== 0) throw new Error(`${script} exited ${code}: ${out.slice(-2000)}`)
  return JSON.parse(last) as T
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  const { port } = server.address() as { port: number }
  await new Promise((r) => server.close(r))
  return port
}

export async function waitReady(base: string, gw: Child, timeoutMs = 60_000): Promise<void> {
  const by = Date.now() + timeoutMs
  while (Date.now() < by) {
    if (gw.child.exitCode !== null) throw new Error(`gateway exited ${gw.child.exitCode}:\n${gw.output()}`)
    const ok = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok) return
    await sleep(200)
  }
  throw new Error(`gateway not ready in ${timeoutMs} ms:\n${gw.output()}`)
}

/** SIGTERM, then SIGKILL after `ms`; returns the exit code. */
export async function stop(c: Child, ms = 15_000): Promise<number | null> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return c.child.exitCode
  c.child.kill('SIGTERM')
  const code = await Promise.race([c.exited, sleep(ms).then(() => 'timeout' as const)])
  if (code !== 'timeout') return code
  c.child.kill('SIGKILL')
  return c.exited
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

/** `pid` and every process below it (cluster workers), from /proc. */
function processTree(pid: number): number[] {
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parent.set(Number(name), ppid)
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) {
    for (const [p, pp] of parent) if (pp === tree[i]) tree.push(p)
  }
  return tree
}

export interface RssPeak {
  /** Peak of the sum over the gateway's processes, and of the largest single process, in MB. */
  totalMb: number
  largestMb: number
  processes: number
}

/** Samples VmRSS of the gateway's process tree every 100 ms until `stop()`. */
export function sampleRss(pid: number) {
  let pids = processTree(pid)
  let total = 0
  let largest = 0
  let ticks = 0
  const timer = setInterval(() => {
    if (++ticks % 20 === 0) pids = processTree(pid)
    const each = pids.map(rssKb)
    total = Math.max(
      total,
      each.reduce((a, b) => a + b, 0),
    )
    largest = Math.max(largest, ...each)
  }, 100)
  return {
    stop(): RssPeak {
      clearInterval(timer)
      return { totalMb: total / 1024, largestMb: largest / 1024, processes: pids.length }
    },
  }
}

const TICK_MS = 10 // USER_HZ is 100 on Linux

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime, stime of the process and of its waited-for children (fields 14–17 of stat)
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])
  } catch {
    return 0
  }
}

/** CPU time (ms) used so far by `pids` (a process tree, or the server processes of one database). */
export function cpuMsOf(pids: readonly number[]): number {
  return pids.reduce((a, p) => a + cpuTicks(p), 0) * TICK_MS
}

/** CPU time (ms) used so far by the gateway's process tree. */
export const treeCpuMs = (pid: number) => cpuMsOf(processTree(pid))

/**
 * The PostgreSQL server processes serving one database (its client backends), so other work on
 * a shared server is not counted. Shared server processes (WAL writer, checkpointer) are left out.
 */
export async function backendPids(databaseUrl: string): Promise<number[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const rows = await sql<{ pid: number }[]>`
      select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
    return rows.map((r) => r.pid)
  } finally {
    await sql.end()
  }
}
