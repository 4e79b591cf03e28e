import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordAudit } from '../../../src/modules/audit/record-audit.js'
import { verifyAuditChain } from '../../../src/modules/audit/verify-chain.js'
import { writeCheckpoint } from '../../../src/modules/audit/write-checkpoint.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'

let gw: TestGateway
const verify = () => verifyAuditChain(gw.database.db, gw.deps.keys.allPublicKeys())

beforeAll(async () => {
  gw = await createTestGateway()
  for (let i = 0; i < 20; i++) {
    await recordAudit(gw.ctx(), {
      action: 'test.event',
      subject: `thing:${i}`,
      data: { i, nested: { b: 2, a: 1 } },
    })
    if (i === 9) await writeCheckpoint({ ctx: gw.ctx(), keys: gw.deps.keys })
  }
  await writeCheckpoint({ ctx: gw.ctx(), keys: gw.deps.keys })
})
afterAll(() => gw.close())

// Each case damages a copy: run in a transaction and roll it back.
async function damaged(...damage: string[]): Promise<Awaited<ReturnType<typeof verify>>> {
  let report: Awaited<ReturnType<typeof verify>> | undefined
  await gw.database.db
    .transaction(async (tx) => {
      for (const statement of damage) await tx.execute(sql.raw(statement))
      report = await verifyAuditChain(tx as never, gw.deps.keys.allPublicKeys())
      throw new Error('rollback')
    })
    .catch((e: Error) => {
      if (e.message !== 'rollback') throw e
    })
  return report as Awaited<ReturnType<typeof verify>>
}

describe('the audit chain', () => {
  it('verifies when untouched, with its checkpoints', async () => {
    const r = await verify()
    expect(r.ok).toBe(true)
    expect(r.entries).toBeGreaterThanOrEqual(20)
    expect(r.checkpoints).toBe(2)
  })

  it('names a modified entry', async () => {
    const r = await damaged(`update audit_entries set data = '{"i": 99}' where seq = 5`)
    expect(r).toMatchObject({ ok: false, firstBroken: { seq: 5 } })
    expect(r.firstBroken?.reason).toMatch(/modified/)
  })

  it('names a deleted entry', async () => {
    const r = await damaged('delete from audit_entries where seq = 7')
    expect(r).toMatchObject({ ok: false, firstBroken: { seq: 7 } })
    expect(r.firstBroken?.reason).toMatch(/missing/)
  })

  it('detects a truncated tail, even with the head row rewound to match', async () => {
    const r = await damaged(
      'delete from audit_entries where seq > (select max(seq) - 3 from audit_entries)',
      `update audit_head set seq = (select max(seq) from audit_entries),
        hash = (select hash from audit_entries order by seq desc limit 1)`,
    )
    expect(r.ok).toBe(false)
    expect(r.firstBroken?.reason).toMatch(/truncated/)
  })

  it('detects a forged checkpoint', async () => {
    const r = await damaged(
      `update audit_checkpoints set hash = repeat('a', 64) where seq = (select min(seq) from audit_checkpoints)`,
    )
    expect(r.ok).toBe(false)
    expect(r.firstBroken?.reason).toMatch(/checkpoint/)
  })

  it('keeps entries in one unbroken sequence when written concurrently', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAudit(gw.ctx(), { action: 'test.concurrent', subject: `c:${i}` }),
      ),
    )
    expect((await verify()).ok).toBe(true)
  })
})
