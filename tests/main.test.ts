import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './helpers/ports.js'

/**
 * The real process, as an orchestrator runs it: settings from the environment, and a SIGTERM
 * while clients are busy must let every request already sent finish before the process exits.
 */
const ADMIN_PASSWORD = 'main-test-admin-password'
let dataDir: string
const children: ChildProcess[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kytb-main-'))
})
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})
afterAll(() => rm(dataDir, { recursive: true, force: true }))

interface Gateway {
  child: ChildProcess
  stderr: () => string
  exited: Promise<number | null>
}

function startGateway(env: Record<string, string>): Gateway {
  const merged: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env }
  delete merged.DATABASE_URL
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

/** Resolves with the exit code, or null if the process is still running after `ms`. */
const exitWithin = (gw: Gateway, ms: number) =>
  Promise.race([gw.exited, sleep(ms).then(() => 'running' as const)])

describe('src/main.ts', () => {
  it('refuses bad settings, naming each variable, without a stack trace', { timeout: 30_000 }, async () => {
    const gw = startGateway({ PORT: 'abc', GATEWAY_REGION: '1', ADMIN_PASSWORD })
    const code = await exitWithin(gw, 20_000)
    expect(code).not.toBe('running')
    expect(code).not.toBe(0)
    expect(gw.stderr()).toContain('PORT')
    expect(gw.stderr()).toContain('GATEWAY_REGION')
    expect(gw.stderr()).not.toMatch(/^\s+at /m)
  })

  it('stops on SIGTERM under load: exit 0 within 10 s, and no request sent before it fails', {
    timeout: 60_000,
  }, async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const gw = startGateway({ PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD })

    // Ready within 30 s (a fresh PGlite on disk, the migration and the sample catalogue).
    const readyBy = Date.now() + 30_000
    let ready = false
    while (!ready && Date.now() < readyBy && gw.child.exitCode === null) {
      ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status === 200,
        () => false,
      )
      if (!ready) await sleep(200)
    }
    expect(ready, `not ready in 30 s; stderr:\n${gw.stderr()}`).toBe(true)

    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    })
    expect(login.status).toBe(200)
    const { token } = (await login.json()) as { token: string }

    let signalled = false
    let running = true
    const tally = {
      okBefore: 0,
      okAfter: 0,
      failedBefore: [] as string[],
      refusedAfter: 0,
      non200: [] as number[],
    }
    const client = async () => {
      while (running) {
        const sentBeforeSignal = !signalled
        try {
          const res = await fetch(`${base}/v1/items?limit=20`, {
            headers: { Authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(15_000),
          })
          await res.arrayBuffer()
          if (res.status !== 200) tally.non200.push(res.status)
          else if (sentBeforeSignal) tally.okBefore++
          else tally.okAfter++
        } catch (err) {
          if (sentBeforeSignal) tally.failedBefore.push(String((err as Error).cause ?? err))
          else tally.refusedAfter++
          // A refused connection fails at once: do not spin on a closing port.
          await sleep(20)
        }
      }
    }
    const clients = Array.from({ length: 20 }, client)

    let code: Awaited<ReturnType<typeof exitWithin>>
    try {
      await sleep(1_500)
      expect(tally.okBefore).toBeGreaterThan(20)
      signalled = true
      gw.child.kill('SIGTERM')
      code = await exitWithin(gw, 10_000)
    } finally {
      running = false
      await Promise.all(clients)
    }

    expect(code, `stderr:\n${gw.stderr()}`).toBe(0)
    // Shown on failure: how many got through before and after the signal.
    expect(tally.failedBefore, JSON.stringify({ ...tally, failedBefore: undefined })).toEqual([])
    expect(tally.non200).toEqual([])
  })
})
