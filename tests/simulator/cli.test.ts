import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Runs a CLI with its own DATA_DIR, so nothing is written under the working directory. */
async function run(script: string, args: string[], env: Record<string, string> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'kytb-cli-partner-'))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => {
      stdout += c
    })
    child.stderr.on('data', (c) => {
      stderr += c
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('npm run partner', () => {
  it.each([
    [[]],
    [['shenzhen', 'submit']],
    [['longmen']],
    [['longmen', 'fly']],
    [['longmen', 'submit', '--port', '1']],
    [['longmen', 'serve', '--fail-503', 'many']],
    [['longmen', 'status', '--case', 'LM1']],
    [['longmen', 'status', '--case', 'LM1', '--event', 'accepted']],
    [['longmen', 'query', '--nope']],
  ])('prints the usage and exits 2 on bad arguments: %j', async (args) => {
    const r = await run('src/cli/partner.ts', args)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('usage: npm run partner --')
  })

  it('says so when the gateway cannot be reached, exit 1', async () => {
    const r = await run('src/cli/partner.ts', ['conghua', 'submit', '--gateway', 'http://127.0.0.1:9'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('cannot reach the gateway at http://127.0.0.1:9')
  })

  it('prints the agreement JSON, making the key on first use', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kytb-cli-partner-'))
    const r = await run('src/cli/partner.ts', ['longmen', 'agreement'], { DATA_DIR: dataDir })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`${join(dataDir, 'partners', 'longmen', 'key.json')}`)
    const body = JSON.parse(r.stdout)
    expect(body).toMatchObject({
      partner: { region: '441324' },
      format: 'longmen-json-v1',
      endpoint: 'http://127.0.0.1:9324/v1/exchange',
    })
  })
})

describe('npm run demo', () => {
  it('needs ADMIN_PASSWORD', async () => {
    const r = await run('src/cli/demo.ts', [], { ADMIN_PASSWORD: '' })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('ADMIN_PASSWORD')
  })
})
