import { createHash } from 'node:crypto'
import { and, eq, inArray, sum } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/client.js'
import { caseEvents, caseStats, cases, materials, messages, outbox } from '../../../src/db/schema/index.js'
import { receiveCase } from '../../../src/modules/cases/receive-case.js'
import { getFormat } from '../../../src/modules/formats/registry.js'
import { verifyMessage } from '../../../src/modules/trust/envelope/index.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { readReceipt, registerPartner, type TestPartner } from '../../helpers/partners.js'

/**
 * Delegated cases that arrive together share one transaction (cases/intake-batch.ts). Each
 * message must still get exactly the answer, and leave exactly the rows, it would alone.
 */
let gw: TestGateway
let conghua: TestPartner
let sample: string

beforeAll(async () => {
  gw = await createTestGateway()
  conghua = await registerPartner(gw, 'conghua')
  sample = conghua.sample('case-marriage-mail.xml').toString('utf8')
})
afterAll(() => gw.close())

const caseDoc = (caseNo: string, mobile = '13800138000') =>
  sample.replaceAll('CH20261128000123', caseNo).replaceAll('13800138000', mobile)

async function openCount(): Promise<number> {
  const [row] = await gw.database.db
    .select({ n: sum(caseStats.open) })
    .from(caseStats)
    .where(and(eq(caseStats.kind, 'item_month'), eq(caseStats.partnerRegion, conghua.region)))
  return Number(row?.n ?? 0)
}

/** count and sum of kytb_intake_batch_cases, as Prometheus scrapes them. */
async function batchFigures(): Promise<{ count: number; sum: number }> {
  const text = await (await gw.request('/metrics')).text()
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0)
  return { count: read('kytb_intake_batch_cases_count'), sum: read('kytb_intake_batch_cases_sum') }
}

describe('intake batches', () => {
  it('puts cases that arrive together into shared transactions (the metric shows fewer batches than cases)', async () => {
    const before = await batchFigures()
    const nos = Array.from({ length: 20 }, (_, i) => `CH-SHARED-${i}`)
    const signed = await Promise.all(nos.map((no) => conghua.sign('kytb-case', caseDoc(no))))
    const results = await Promise.all(signed.map((jws) => conghua.post('cases', jws)))
    expect(results.map((r) => r.status)).toEqual(nos.map(() => 201))
    const after = await batchFigures()
    expect(after.sum - before.sum).toBe(20)
    expect(after.count - before.count).toBeLessThan(20)
  })

  it('writes 30 cases sent at once completely, each with its own number, event, outbox row and evidence', async () => {
    const before = await openCount()
    const nos = Array.from({ length: 30 }, (_, i) => `CH-BATCH-${i}`)
    const results = await Promise.all(nos.map((no) => conghua.send('cases', caseDoc(no))))
    expect(results.map((r) => r.status)).toEqual(nos.map(() => 201))
    const receipts = await Promise.all(
      results.map(async (r) => (await readReceipt(gw, await r.text())).receipt),
    )
    const caseNos = receipts.map((r) => r.caseNo as string)
    expect(new Set(caseNos).size).toBe(30)

    const db = gw.database.db
    const rows = await db.select().from(cases).where(inArray(cases.partnerCaseNo, nos))
    expect(rows).toHaveLength(30)
    expect(new Set(rows.map((r) => r.caseNo))).toEqual(new Set(caseNos))
    for (const row of rows) expect(row).toMatchObject({ state: 'received', clockState: 'not_started' })
    const ids = rows.map((r) => r.id)
    const events = await db.select().from(caseEvents).where(inArray(caseEvents.caseId, ids))
    expect(events.map((e) => [e.type, e.seq, e.side])).toEqual(ids.map(() => ['received', 1, 'ours']))
    const queued = await db.select().from(outbox).where(inArray(outbox.caseId, ids))
    expect(queued).toHaveLength(30)
    expect(new Set(queued.map((q) => q.id))).toEqual(new Set(events.map((e) => e.messageId)))
    // The files' bytes arrive intact (they travel hex-encoded in one JSON document).
    const files = await db.select().from(materials).where(inArray(materials.caseId, ids))
    expect(files).toHaveLength(60)
    for (const f of files) expect(createHash('sha256').update(f.content).digest('hex')).toBe(f.sha256)
    expect(rows[0]?.document).toMatchObject({ caseNo: rows[0]?.partnerCaseNo, applicant: { name: '张三' } })
    const evidence = await db.select().from(messages).where(inArray(messages.caseNo, caseNos))
    expect(evidence.filter((m) => m.direction === 'in' && m.receiptJws)).toHaveLength(30)
    expect(await openCount()).toBe(before + 30)
  })

  it('gives each message of a mixed burst the answer it would get alone', async () => {
    const first = await conghua.sign('kytb-case', caseDoc('CH-MIX-OLD'))
    const firstRes = await conghua.post('cases', first)
    expect(firstRes.status).toBe(201)
    const oldCaseNo = (await readReceipt(gw, await firstRes.text())).receipt.caseNo
    const before = await openCount()

    const twice = await conghua.sign('kytb-case', caseDoc('CH-MIX-TWICE'))
    const burst = {
      fresh: conghua.send('cases', caseDoc('CH-MIX-NEW')),
      retry: conghua.post('cases', first),
      sameCaseNewJti: conghua.send('cases', caseDoc('CH-MIX-OLD')),
      conflict: conghua.send('cases', caseDoc('CH-MIX-OLD', '13900139000')),
      otherItem: conghua.send('cases', conghua.sample('case-org-business-licence.xml')),
      copyA: conghua.post('cases', twice),
      copyB: conghua.post('cases', twice),
      sameNoA: conghua.send('cases', caseDoc('CH-MIX-SAMENO')),
      sameNoB: conghua.send('cases', caseDoc('CH-MIX-SAMENO')),
    }
    const res = Object.fromEntries(
      await Promise.all(
        Object.entries(burst).map(async ([k, p]) => {
          const r = await p
          const text = await r.text()
          const body =
            r.status < 300 ? (await readReceipt(gw, text)).receipt : (JSON.parse(text) as { code: string })
          return [k, { status: r.status, body }] as const
        }),
      ),
    )
    expect(res.fresh?.status).toBe(201)
    expect(res.retry).toMatchObject({ status: 200, body: { outcome: 'duplicate', caseNo: oldCaseNo } })
    expect(res.sameCaseNewJti).toMatchObject({
      status: 200,
      body: { outcome: 'duplicate', caseNo: oldCaseNo },
    })
    expect(res.conflict).toMatchObject({ status: 409, body: { code: 'case_conflict' } })
    expect(res.otherItem).toMatchObject({ status: 422, body: { code: 'item_not_in_agreement' } })
    expect([res.copyA?.status, res.copyB?.status].sort()).toEqual([200, 201])
    expect([res.sameNoA?.status, res.sameNoB?.status].sort()).toEqual([200, 201])
    // fresh, one of the copies, one of the same numbers: three new cases, nothing else.
    expect(await openCount()).toBe(before + 3)
    const made = await gw.database.db
      .select({ no: cases.partnerCaseNo })
      .from(cases)
      .where(inArray(cases.partnerCaseNo, ['CH-MIX-NEW', 'CH-MIX-TWICE', 'CH-MIX-SAMENO', 'CH-MIX-OLD']))
    expect(made.map((m) => m.no).sort()).toEqual([
      'CH-MIX-NEW',
      'CH-MIX-OLD',
      'CH-MIX-SAMENO',
      'CH-MIX-TWICE',
    ])
  })

  it('writes every message of a failed batch alone, so the failure costs no answer', async () => {
    // A database whose next transaction fails once: the batch's, not the ones after it.
    let failNext = true
    const real = gw.database.db
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'transaction' && failNext) {
          failNext = false
          return async () => {
            throw new Error('connection lost (simulated)')
          }
        }
        return Reflect.get(target, prop, receiver)
      },
    }) as Db
    // Its own config object: its own batcher, so no other test's messages join this batch.
    const ctx = {
      ...gw.ctx({ kind: 'partner', region: conghua.region }),
      db: flaky,
      config: { ...gw.deps.config },
    }
    const jwss = await Promise.all(
      ['CH-FLAKY-1', 'CH-FLAKY-2'].map((no) => conghua.sign('kytb-case', caseDoc(no))),
    )
    const verified = await Promise.all(
      jwss.map((jws) =>
        verifyMessage({
          contentType: 'application/jose',
          body: jws,
          expectedTyp: 'kytb-case',
          now: gw.clock.now(),
          ownRegion: '440233',
          trust: gw.deps.trust,
        }),
      ),
    )
    const format = getFormat('conghua-xml-v1')!
    const results = await Promise.all(
      verified.map((message, i) => receiveCase({ ctx, input: { message, jws: jwss[i]!, format } })),
    )
    expect(failNext).toBe(false)
    expect(results.map((r) => r.status)).toEqual([201, 201])
    expect(new Set(results.map((r) => r.caseNo)).size).toBe(2)
  })
})
