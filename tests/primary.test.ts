import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './helpers/ports.js'
import { withDatabase } from './setup/global-setup.js'

/**
 * WORKERS > 1 (src/primary.ts): several gateway processes behind one port, on PostgreSQL only.
 * The cluster run needs TEST_DATABASE_URL (it makes and drops a database of its own).
 */
const url = process.env.TEST_DATABASE_URL
const ADMIN_PASSWORD = 'primary-test-admin-password'
let dataDir: string
const children: ChildProcess[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kytb-primary-'))
})
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

function start(env: Record<string, string>) {
  const merged: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env }
  if (!env.DATABASE_URL) delete merged.DATABASE_URL
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: merged,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stderr: () => stderr, exited }
}

describe('WORKERS', () => {
  it('refuses more than one process on the embedded database, naming the setting', {
    timeout: 30_000,
  }, async () => {
    const gw = start({ WORKERS: '2', ADMIN_PASSWORD })
    const code = await Promise.race([gw.exited, sleep(20_000).then(() => 'running' as const)])
    expect(code).toBe(2)
    expect(gw.stderr()).toMatch(/WORKERS: more than 1 needs DATABASE_URL/)
  })

  it.skipIf(!url)(
    'runs two gateway processes behind one port on PostgreSQL and stops them all on SIGTERM with exit 0',
    { timeout: 90_000 },
    async () => {
      const name = `kytb_primary_${process.pid}_${Date.now() % 100000}`
      const admin = postgres(url as string, { max: 1, onnotice: () => {} })
      await admin.unsafe(`create database ${name}`)
      try {
        const port = await freePort()
        const base = `http://127.0.0.1:${port}`
        const gw = start({
          WORKERS: '2',
          PORT: String(port),
          HOST: '127.0.0.1',
          ADMIN_PASSWORD,
          DATABASE_URL: withDatabase(url as string, name),
        })
        // Both workers listening: two distinct process ids answer on the one port.
        const pids = new Set<number>()
        const by = Date.now() + 60_000
        while (pids.size < 2 && Date.now() < by && gw.child.exitCode === null) {
          const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(
            () => undefined,
          )
          if (res?.status === 200) await res.arrayBuffer()
          const workers = await childPids(gw.child.pid as number)
          if (res?.status === 200) for (const p of workers) pids.add(p)
          if (pids.size < 2) await sleep(200)
        }
        expect(pids.size, gw.stderr()).toBe(2)
        // A sign-in made through one process is honoured by the other (one database, one key).
        const login = await fetch(`${base}/v1/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
        })
        expect(login.status).toBe(200)
        const { token } = (await login.json()) as { token: string }
        for (let i = 0; i < 6; i++) {
          const res = await fetch(`${base}/v1/items?limit=1`, {
            headers: { Authorization: `Bearer ${token}`, Connection: 'close' },
          })
          expect(res.status).toBe(200)
          await res.arrayBuffer()
        }
        // Stopped under load, every request sent before the signal is answered (as with one process).
        let signalled = false
        let running = true
        const failedBefore: string[] = []
        let okBefore = 0
        const client = async () => {
          while (running) {
            const before = !signalled
            try {
              const res = await fetch(`${base}/v1/items?limit=5`, {
                headers: { Authorization: `Bearer ${token}` },
                signal: AbortSignal.timeout(15_000),
              })
              await res.arrayBuffer()
              if (before && res.status === 200) okBefore++
              else if (before) failedBefore.push(`status ${res.status}`)
            } catch (err) {
              if (before) failedBefore.push(String((err as Error).cause ?? err))
              await sleep(20)
            }
          }
        }
        const clients = Array.from({ length: 10 }, client)
        let code: number | null | 'running'
        try {
          await sleep(1_000)
          signalled = true
          const workers = await childPids(gw.child.pid as number)
          gw.child.kill('SIGTERM')
          code = await Promise.race([gw.exited, sleep(15_000).then(() => 'running' as const)])
          expect(workers).toHaveLength(2)
        } finally {
          running = false
          await Promise.all(clients)
        }
        expect(code, gw.stderr()).toBe(0)
        expect(okBefore).toBeGreaterThan(10)
        expect(failedBefore).toEqual([])
        expect(await childPids(gw.child.pid as number)).toEqual([])
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`)
        await admin.end()
      }
    },
  )
})

/** The live child processes of `pid` (the cluster's workers). */
async function childPids(pid: number): Promise<number[]> {
  const { readFile } = await import('node:fs/promises')
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
  return text.trim().split(/\s+/).filter(Boolean).map(Number)
}
