import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { delay } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Deps } from '../../../src/context.js'
import { type Database, openPostgres } from '../../../src/db/client.js'
import { messages, outbox } from '../../../src/db/schema/index.js'
import { claimDue } from '../../../src/modules/outbox/claim-due.js'
import { createOutboxWorker } from '../../../src/modules/outbox/worker.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../../helpers/partners.js'
import { withDatabase } from '../../setup/global-setup.js'
import { captureLog, decodeJws, enqueue, outboxRow, partnerStub } from './partner-stub.js'

let gw: TestGateway
let longmen: TestPartner
beforeAll(async () => {
  gw = await createTestGateway()
  longmen = await registerPartner(gw, 'longmen')
})
afterAll(() => gw?.close())

describe('a worker that dies between sending and recording', () => {
  it('has its row re-sent after the lease with the same jti; the partner applies it once', async () => {
    const stub = partnerStub(gw, longmen)
    const { id, jti } = await enqueue(gw, longmen)

    // The doomed instance claims the row, signs and sends it as the worker does, then dies.
    const [row] = await claimDue(gw.database.db, {
      now: gw.clock.now(),
      instanceId: 'doomed',
      leaseMs: 120_000,
      limit: 10,
    })
    expect(row?.id).toBe(id)
    const { jws } = await gw.deps.signer.sign({
      typ: 'kytb-status',
      cty: 'json',
      aud: longmen.region,
      payload: row?.payload as Uint8Array,
      jti,
      now: gw.clock.now(),
    })
    const first = await fetch('https://kytb.longmen.example/v1/exchange/status', {
      method: 'POST',
      headers: { 'Content-Type': 'application/jose' },
      body: jws,
    })
    expect(first.status).toBe(201)

    const survivor = createOutboxWorker(gw.deps, { instanceId: 'survivor', log: captureLog().log })
    expect(await survivor.runOnce()).toMatchObject({ claimed: 0 }) // the lease still holds
    gw.clock.advance(120_000)
    expect(await survivor.runOnce()).toMatchObject({ claimed: 1, delivered: 1 })

    expect(stub.countsByJti().get(jti)).toBe(2)
    const settled = await outboxRow(gw, id)
    expect(settled.status).toBe('delivered')
    const receipt = JSON.parse(decodeJws(settled.receiptJws as string).payload.toString('utf8'))
    expect(receipt).toMatchObject({ ref: jti, outcome: 'duplicate' })
    expect(await gw.database.db.select().from(messages).where(eq(messages.jti, jti))).toHaveLength(1)
  })
})

// Real concurrency needs separate connections: PGlite has one, so this runs on PostgreSQL only
// (TEST_DATABASE_URL set); without it the test is skipped, not faked.
describe.skipIf(!process.env.TEST_DATABASE_URL)('two workers on one PostgreSQL database', () => {
  let second: Database
  beforeAll(async () => {
    const rows = (await gw.database.db.execute(sql`select current_database() as name`)) as unknown as {
      name: string
    }[]
    second = openPostgres(withDatabase(process.env.TEST_DATABASE_URL as string, rows[0]?.name as string), 5)
  })
  afterAll(() => second?.close())

  it('delivers 500 messages each exactly once, every case in order', { timeout: 120_000 }, async () => {
    const stub = partnerStub(gw, longmen)
    const seqOf = new Map<string, { caseId: string; seq: number }>()
    for (let c = 0; c < 100; c++) {
      const caseId = randomUUID()
      for (let seq = 0; seq < 5; seq++) {
        const { jti } = await enqueue(gw, longmen, {
          caseId,
          caseSeq: seq,
          typ: seq === 0 ? 'kytb-case' : 'kytb-status',
        })
        seqOf.set(jti, { caseId, seq })
      }
    }
    const sends = { a: 0, b: 0 }
    const counting =
      (k: 'a' | 'b'): typeof fetch =>
      (input, init) => {
        sends[k]++
        return fetch(input, init)
      }
    const a = createOutboxWorker(gw.deps, {
      instanceId: 'a',
      pollMs: 5,
      fetch: counting('a'),
      log: captureLog().log,
    })
    const otherInstance: Deps = { ...gw.deps, database: second }
    const b = createOutboxWorker(otherInstance, {
      instanceId: 'b',
      pollMs: 5,
      fetch: counting('b'),
      log: captureLog().log,
    })
    a.start()
    b.start()
    const pending = async () =>
      (
        await gw.database.db
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(outbox)
          .where(eq(outbox.status, 'pending'))
      )[0]?.n
    for (let i = 0; i < 1200 && (await pending()) !== 0; i++) await delay(50)
    await Promise.all([a.stop(), b.stop()])

    expect(await pending()).toBe(0)
    const counts = stub.countsByJti()
    expect(counts.size).toBe(500)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(sends.a + sends.b).toBe(500)
    expect(sends.a).toBeGreaterThan(0)
    expect(sends.b).toBeGreaterThan(0)
    const order = new Map<string, number[]>()
    for (const s of stub.seen) {
      const { caseId, seq } = seqOf.get(s.jti) as { caseId: string; seq: number }
      order.set(caseId, [...(order.get(caseId) ?? []), seq])
    }
    for (const seqs of order.values()) expect(seqs).toEqual([0, 1, 2, 3, 4])
    const evidence = await gw.database.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(messages)
      .where(eq(messages.direction, 'out'))
    expect(evidence[0]?.n).toBeGreaterThanOrEqual(500)
  })
})
