import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * `npm run dead-letters` and `npm run worker` as an operator runs them, on their own embedded
 * database in a temp DATA_DIR (the first run migrates it and creates the administrator).
 */
let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kytb-cli-outbox-'))
})
afterAll(() => rm(dataDir, { recursive: true, force: true }))

function start(script: string, args: string[] = []): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ADMIN_PASSWORD: 'cli-admin-password',
  }
  delete env.DATABASE_URL
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function finish(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (c) => {
    stdout += c
  })
  child.stderr?.on('data', (c) => {
    stderr += c
  })
  // A first start migrates a fresh embedded database and hashes a password: slow on a busy machine.
  const timer = setTimeout(() => child.kill('SIGKILL'), 85_000)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('npm run dead-letters', () => {
  it('lists none on a fresh database, refuses an unknown id, and explains its usage', {
    timeout: 90_000,
  }, async () => {
    const list = await finish(start('src/cli/dead-letters.ts', ['list']))
    expect(list.stderr).toBe('')
    expect(list).toMatchObject({ code: 0 })
    expect(list.stdout).toContain('0 dead letter(s)')
    const resend = await finish(start('src/cli/dead-letters.ts', ['resend', 'no-such-id']))
    expect(resend.code).toBe(1)
    expect(resend.stderr).toContain('not_found')
    const usage = await finish(start('src/cli/dead-letters.ts', ['resend']))
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('usage:')
  })
})

describe('npm run worker', () => {
  it('runs until SIGTERM, then stops cleanly', { timeout: 90_000 }, async () => {
    const child = start('src/cli/worker.ts')
    const done = finish(child)
    let out = ''
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (c) => {
        out += c
        if (out.includes('outbox worker started')) resolve()
      })
    })
    child.kill('SIGTERM')
    const { code, stdout } = await done
    expect(code).toBe(0)
    expect(stdout).toContain('outbox worker stopped')
  })
})
