import { afterAll, describe, expect, it } from 'vitest'
import type { CanonicalStatus } from '../../../src/modules/formats/canonical.js'
import { getFormat } from '../../../src/modules/formats/registry.js'
import { TEST_ADMIN_PASSWORD } from '../../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { outboxOf } from '../../helpers/outbox.js'
import { readReceipt, registerPartner, type TestPartner } from '../../helpers/partners.js'

/**
 * 承诺时限 through the real case flow, on a 15-working-day item (重度残疾人护理补贴（变更）).
 * Expected dates were worked out by hand from the State Council's 2026 calendar:
 * Spring Festival off 02-15..02-23, 调休 Saturdays 02-14 and 02-28; Mid-Autumn off 09-25..09-27,
 * National Day off 10-01..10-07, 调休 09-20 (Sun) and 10-10 (Sat).
 */
const ITEM = { itemCode: '11440233MB2C57298J2000105023001', basicCode: '000105023001' }
const gateways: TestGateway[] = []
afterAll(async () => {
  for (const gw of gateways) await gw.close()
})

async function setUp(now: string) {
  const gw = await createTestGateway({ now })
  gateways.push(gw)
  const conghua = await registerPartner(gw, 'conghua', { extraInbound: [{ itemCode: ITEM.itemCode }] })
  const bytes = conghua
    .sample('case-marriage-mail.xml')
    .toString('utf8')
    .replace('<ItemCode>000105001000</ItemCode>', `<ItemCode>${ITEM.basicCode}</ItemCode>`)
  const res = await conghua.send('cases', bytes)
  expect(res.status).toBe(201)
  const caseNo = (await readReceipt(gw, await res.text())).receipt.caseNo as string
  return { gw, conghua, caseNo }
}

const adminToken = async (gw: TestGateway) =>
  ((await (await gw.login('admin', TEST_ADMIN_PASSWORD)).json()) as { token: string }).token

async function step(gw: TestGateway, caseNo: string, body: Record<string, unknown>) {
  const res = await gw.request(`/v1/cases/${caseNo}/events`, {
    method: 'POST',
    token: await adminToken(gw),
    json: body,
  })
  expect(res.status, await res.clone().text()).toBe(201)
}

async function view(gw: TestGateway, caseNo: string) {
  const res = await gw.request(`/v1/cases/${caseNo}`, { token: await adminToken(gw) })
  return (await res.json()) as {
    promisedDate: string
    overdue: boolean
    workingDaysLeft: number | null
    clock: string
  }
}

async function statedPromise(gw: TestGateway, caseNo: string, seq: number): Promise<string | undefined> {
  const row = (await outboxOf(gw, caseNo)).find((r) => r.caseSeq === seq)
  const parsed = getFormat('conghua-xml-v1')?.parseStatus(row?.payload as Uint8Array)
  return parsed?.ok ? parsed.value.promisedDate : undefined
}

describe('time limits across holidays', () => {
  it('promises 2026-03-10 for 15 working days from 2026-02-11, across the Spring Festival', async () => {
    const { gw, caseNo } = await setUp('2026-02-11T02:00:00Z')
    await step(gw, caseNo, { type: 'accepted' })
    expect(await statedPromise(gw, caseNo, 2)).toBe('2026-03-10')
    expect((await view(gw, caseNo)).promisedDate).toBe('2026-03-10')
    gw.clock.set('2026-02-24T02:00:00Z')
    // Used: 02-12, 02-13, 02-14 (调休 Saturday), 02-24 → 11 left.
    expect(await view(gw, caseNo)).toMatchObject({ workingDaysLeft: 11, overdue: false })
    gw.clock.set('2026-03-11T02:00:00Z')
    expect((await view(gw, caseNo)).overdue).toBe(true)
  })

  it('extends the promise by the working days a correction paused it, across National Day', async () => {
    const { gw, conghua, caseNo } = await setUp('2026-09-24T02:00:00Z')
    await step(gw, caseNo, { type: 'accepted' })
    expect(await statedPromise(gw, caseNo, 2)).toBe('2026-10-22')
    gw.clock.set('2026-09-29T02:00:00Z')
    await step(gw, caseNo, {
      type: 'correction_requested',
      reason: '缺少护理评估表',
      correction: [{ code: 'M05', name: '护理评估表' }],
    })
    gw.clock.set('2026-10-09T01:00:00Z')
    expect((await view(gw, caseNo)).clock).toBe('paused')
    const submitted = await sendCorrection(conghua, caseNo)
    expect(submitted.status, await submitted.clone().text()).toBe(201)
    gw.clock.set('2026-10-09T03:00:00Z')
    await step(gw, caseNo, { type: 'accepted' })
    // Paused working days: 09-30, 10-08, 10-09 → 10-22 + 3 working days.
    expect(await statedPromise(gw, caseNo, 4)).toBe('2026-10-27')
    expect(await view(gw, caseNo)).toMatchObject({
      promisedDate: '2026-10-27',
      clock: 'running',
      overdue: false,
    })
    gw.clock.set('2026-10-28T02:00:00Z')
    expect((await view(gw, caseNo)).overdue).toBe(true)
  })
})

async function sendCorrection(conghua: TestPartner, caseNo: string) {
  const content = Buffer.from('护理评估表')
  const { createHash } = await import('node:crypto')
  const status: CanonicalStatus = {
    caseNo: 'CH20261128000123',
    peerCaseNo: caseNo,
    seq: 1,
    type: 'correction_submitted',
    occurredAt: '2026-10-09T09:00:00+08:00',
    materials: [
      {
        code: 'M05',
        name: '护理评估表',
        original: false,
        file: {
          name: 'pgb.txt',
          mediaType: 'text/plain',
          size: content.length,
          sha256: createHash('sha256').update(content).digest('hex'),
          content: content.toString('base64'),
        },
      },
    ],
  }
  return conghua.send('status', getFormat('conghua-xml-v1')?.renderStatus(status) as Uint8Array)
}
