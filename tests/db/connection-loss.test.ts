import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { openTestDatabase } from '../helpers/db.js'

/**
 * A PostgreSQL restart (or failover, or pg_terminate_backend) while a transaction is open must
 * fail that transaction, not the process: postgres.js 3.4.9 crashes it from a timer unless
 * scripts/patch-postgres.mjs (postinstall) has patched the driver. Found by `npm run test:faults`.
 */
describe('losing the database connection', () => {
  it('runs on a patched driver (npm ci runs scripts/patch-postgres.mjs)', () => {
    const file = new URL('../../node_modules/postgres/src/connection.js', import.meta.url)
    expect(readFileSync(file, 'utf8')).toContain('kytb-patch: closed-socket write guard')
  })

  it.runIf(process.env.TEST_DATABASE_URL)(
    'fails the open transaction, keeps the process and the pool',
    async () => {
      const database = await openTestDatabase()
      const admin = postgres(process.env.TEST_DATABASE_URL as string, { max: 1, onnotice: () => {} })
      try {
        for (let round = 0; round < 3; round++) {
          let pid = 0
          const tx = database.db.transaction(async (t) => {
            const rows = (await t.execute(sql`select pg_backend_pid() as pid`)) as unknown as {
              pid: number
            }[]
            pid = Number(rows[0]?.pid)
            await t.execute(sql`select pg_sleep(2)`)
          })
          const settled = tx.then(
            () => 'committed',
            (err: unknown) => (err as { code?: string }).code ?? 'error',
          )
          while (pid === 0) await sleep(10)
          await sleep(100)
          await admin`select pg_terminate_backend(${pid})`
          expect(await settled).not.toBe('committed')
          // The pool reconnects: the next queries work (retried once: an idle connection that
          // died with the backend may fail its first query).
          for (let i = 0; i < 4; i++) await database.ping().catch(() => database.ping())
        }
      } finally {
        await admin.end()
        await database.close()
      }
    },
    30_000,
  )
})
