import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { outbox } from '../../../src/db/schema/index.js'
import { createOutboxWorker } from '../../../src/modules/outbox/worker.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../../helpers/partners.js'
import { captureLog, enqueue, outboxRow, partnerStub } from './partner-stub.js'

let gw: TestGateway
let longmen: TestPartner

beforeAll(async () => {
  gw = await createTestGateway({ now: '2026-11-28T02:00:00Z' })
  longmen = await registerPartner(gw, 'longmen')
})
afterAll(() => gw?.close())

it('does not start a row whose lease would lapse during the attempt, and releases it at once', async () => {
  // Each send takes the whole timeout (4 s) of a 10 s lease; with one lane, the third row of the
  // batch would start with 2 s of lease left: another instance could take it over mid-send.
  const stub = partnerStub(gw, longmen, () => {
    gw.clock.advance(4000)
    return undefined
  })
  const rows = [await enqueue(gw, longmen), await enqueue(gw, longmen), await enqueue(gw, longmen)]
  const w = createOutboxWorker(gw.deps, {
    instanceId: 'slow-lane',
    concurrency: 1,
    leaseMs: 10_000,
    timeoutMs: 4000,
    log: captureLog().log,
  })
  expect(await w.runOnce()).toMatchObject({ claimed: 3, delivered: 2 })
  expect(stub.seen).toHaveLength(2)
  const sent = new Set(stub.seen.map((m) => m.jti))
  const third = await outboxRow(gw, rows.find((r) => !sent.has(r.jti))!.id)
  expect(third).toMatchObject({ status: 'pending', attempts: 0, leasedBy: null, leaseUntil: null })
  // The next round sends it.
  expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 1 })
  const left = await gw.database.db.select().from(outbox).where(eq(outbox.status, 'pending'))
  expect(left).toHaveLength(0)
})
