import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { contextFor } from '../../src/context.js'
import { openPglite } from '../../src/db/client.js'
import { createLogger } from '../../src/lib/logger.js'
import { recordAudit } from '../../src/modules/audit/record-audit.js'
import { writeCheckpoint } from '../../src/modules/audit/write-checkpoint.js'
import { prepare } from '../../src/start.js'

const run = promisify(execFile)

/** `npm run audit:verify` against an embedded database on disk, before and after tampering. */
describe('npm run audit:verify', () => {
  it('says the chain is intact, then names the first broken entry after one is changed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kytb-audit-cli-'))
    const config = loadConfig({
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'audit-cli-password',
      LOG_LEVEL: 'silent',
    })
    const instance = new PGlite(join(dataDir, 'pgdata'))
    const deps = await prepare(config, createLogger('silent'), { database: await openPglite({ instance }) })
    const ctx = contextFor(deps, { kind: 'system', name: 'test' })
    for (let i = 0; i < 5; i++) await recordAudit(ctx, { action: 'test.entry', subject: `s:${i}` })
    await writeCheckpoint({ ctx, keys: deps.keys })
    await instance.close()

    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }
    const ok = await run('node', ['--import', 'tsx', 'src/cli/audit-verify.ts'], { env })
    expect(ok.stdout).toMatch(/audit chain intact: \d+ entries, 1 signed checkpoints/)

    const again = new PGlite(join(dataDir, 'pgdata'))
    await again.query(`update audit_entries set subject = 's:tampered' where seq = 3`)
    await again.close()
    const broken = await run('node', ['--import', 'tsx', 'src/cli/audit-verify.ts'], { env }).catch((e) => e)
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/audit chain BROKEN at entry 3/)
  }, 60_000)
})
