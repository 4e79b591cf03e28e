import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The CLI as an operator runs it, on its own embedded database in a temp DATA_DIR. That
 * database has no departments (only the gateway's first start loads them), which makes the
 * unknown-department path the natural one to check end to end.
 */
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kytb-cli-import-'))
})
afterAll(() => rm(dataDir, { recursive: true, force: true }))

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/catalog-import.ts', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('npm run catalog:import', () => {
  it('exits 1 and locates a row whose department is unknown', { timeout: 60_000 }, async () => {
    const file = join(dataDir, 'items.csv')
    await writeFile(
      file,
      'code,basicCode,name,department,modes,promisedDays,status,township,crossCity\n' +
        '11440233CLI000001,999999000001,测试事项,XYZ,online,5,catalogued,false,false\n',
    )
    const result = await runCli([file])
    expect(result.stderr).toContain('line 2, field department: unknown department "XYZ"')
    expect(result.stdout).toMatch(/1 errors: nothing written/)
    expect(result.code).toBe(1)
  })

  it('exits 2 with a clear message for a missing file', { timeout: 30_000 }, async () => {
    const result = await runCli([join(dataDir, 'no-such-file.csv')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/cannot read .*no-such-file\.csv: no such file/)
    expect(result.stderr).not.toMatch(/^\s+at /m)
  })
})
