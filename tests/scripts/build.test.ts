import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildGateway } from '../../scripts/build.js'
import { freePort } from '../helpers/ports.js'

/**
 * `npm start` runs the bundle of scripts/build.ts, not the sources: the bundle must find the
 * files the sources find by their place in the repository (migrations, sample catalogue,
 * console assets, the holiday data of chinese-days) and stop as the sources do.
 */
const OUT = `node_modules/.cache/kytb-build-test-${process.pid}`
let dataDir: string
let child: ChildProcess | undefined

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kytb-build-'))
  await buildGateway(OUT)
}, 60_000)
afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL')
  await rm(OUT, { recursive: true, force: true })
  await rm(dataDir, { recursive: true, force: true })
})

describe('scripts/build.ts', () => {
  it('builds a gateway that starts on a fresh PGlite, serves the catalogue and the console, and stops on SIGTERM', {
    timeout: 90_000,
  }, async () => {
    const port = await freePort()
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: 'build-test-admin-password',
    }
    delete env.DATABASE_URL
    child = spawn(process.execPath, ['--enable-source-maps', join(OUT, 'main.js')], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)))
    const base = `http://127.0.0.1:${port}`
    let ready = false
    for (const by = Date.now() + 60_000; !ready && Date.now() < by && child.exitCode === null; ) {
      ready = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
      if (!ready) await sleep(200)
    }
    expect(ready, stderr).toBe(true)

    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'build-test-admin-password' }),
    })
    expect(login.status).toBe(200)
    const { token } = (await login.json()) as { token: string }
    const items = await fetch(`${base}/v1/items?limit=1`, { headers: { Authorization: `Bearer ${token}` } })
    expect(items.status).toBe(200)
    const css = await fetch(`${base}/console/assets/app.css`)
    expect(css.status).toBe(200)
    expect(await css.text()).toContain('{')
    // The working-day calendar reads the holiday data shipped by chinese-days.
    const coverage = await fetch(`${base}/v1/calendar/coverage`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(coverage.status).toBe(200)
    expect(((await coverage.json()) as { packageYears: number[] }).packageYears).toContain(2026)
    const days = await fetch(`${base}/v1/calendar/working-days?from=2026-09-30&days=1`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(((await days.json()) as { date: string }).date).not.toBe('2026-10-01')

    child.kill('SIGTERM')
    expect(await Promise.race([exited, sleep(15_000).then(() => 'running')])).toBe(0)
  })
})
