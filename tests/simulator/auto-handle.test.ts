import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PARTNERS, type PartnerName } from '../../src/simulator/index.js'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { type RunningPartner, serveGateway, startPartner, testWorker } from './helpers.js'

let gw: TestGateway
let served: Awaited<ReturnType<typeof serveGateway>>
const partners = {} as Record<PartnerName, RunningPartner>

beforeAll(async () => {
  gw = await createTestGateway()
  served = await serveGateway(gw)
  partners.longmen = await startPartner(gw, served.url, 'longmen', { autoHandle: true })
  partners.conghua = await startPartner(gw, served.url, 'conghua', { autoHandle: true })
})
afterAll(async () => {
  await partners.longmen?.sim.close()
  await partners.conghua?.sim.close()
  await served.close()
  await gw.close()
})

const applicant = {
  kind: 'person',
  name: '黄丽',
  idType: 'resident_id',
  idNumber: '44023319900101123X',
  mobile: '13800138000',
}
const material = {
  code: 'M01',
  name: '居民身份证',
  original: false,
  file: { name: 'sfz.txt', mediaType: 'text/plain', content: Buffer.from('居民身份证').toString('base64') },
}

describe.each([
  ['longmen', 'window'],
  ['conghua', 'mail'],
] as const)('an outbound case to simulated %s (%s delivery), auto-handled', (name, method) => {
  it('is delivered, then received, accepted and concluded by the simulator; the gateway copy is concluded', async () => {
    const { sim, lines } = partners[name]
    const clerk = await gw.clerkToken('MZJ')
    const delivery =
      method === 'mail'
        ? { method, recipient: '黄丽', mobile: '13800138000', address: '广东省韶关市新丰县丰城街道 1 号' }
        : { method }
    const created = await gw.request('/v1/cases', {
      method: 'POST',
      token: clerk,
      json: {
        partner: PARTNERS[name].region,
        partnerItemCode: PARTNERS[name].outbound.partnerItemCode,
        applicant,
        materials: [material],
        delivery,
      },
    })
    expect(created.status).toBe(201)
    const { caseNo } = (await created.json()) as { caseNo: string }

    expect(await testWorker(gw).runOnce()).toMatchObject({ claimed: 1, delivered: 1 })
    await sim.settled()

    const res = await gw.request(`/v1/cases/${caseNo}`, { token: clerk })
    const view = (await res.json()) as {
      state: string
      partnerCaseNo: string
      events: { side: string; seq: number; type: string; result?: { waybill?: unknown } }[]
    }
    expect(view.state).toBe('concluded')
    const own = sim.env.state.case(caseNo)
    expect(own).toMatchObject({ role: 'handler', sentSeq: 3, state: 'concluded', delivery: method })
    expect(view.partnerCaseNo).toBe(own?.ownCaseNo)
    const theirs = view.events.filter((e) => e.side === 'theirs')
    expect(theirs.map((e) => [e.seq, e.type])).toEqual([
      [1, 'received'],
      [2, 'accepted'],
      [3, 'concluded'],
    ])
    const waybill = theirs[2]?.result?.waybill
    if (method === 'mail') expect(waybill).toMatchObject({ carrier: 'EMS' })
    else expect(waybill).toBeUndefined()
    expect(lines.join('\n')).toContain(`收到办件 ${caseNo}`)
    expect(lines.filter((l) => l.includes('回执已验证 accepted'))).toHaveLength(3)
  })
})
