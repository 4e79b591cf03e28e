import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Figures } from '../../../src/modules/stats/figures.js'
import { MARRIAGE_ITEM_CODE } from '../../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../../helpers/partners.js'
import { arrive, step, tokenAt } from './helpers.js'

let gw: TestGateway
let longmen: TestPartner

beforeAll(async () => {
  gw = await createTestGateway()
  longmen = await registerPartner(gw, 'longmen')
})
afterAll(() => gw.close())

const itemFigures = async (token: string) => {
  const res = await gw.request(`/v1/items/${MARRIAGE_ITEM_CODE}`, { token })
  expect(res.status).toBe(200)
  return ((await res.json()) as { figures: Figures }).figures
}

describe('GET /v1/items/{code} figures', () => {
  it('change when a case arrives and when it is decided', async () => {
    const admin = await tokenAt(gw)
    expect(await itemFigures(admin)).toMatchObject({ received: 0, open: 0, completionRate: null })
    const caseNo = await arrive(gw, longmen, 'LM-ITEM-1')
    expect(await itemFigures(admin)).toMatchObject({ received: 1, open: 1, concluded: 0, completionRate: 0 })
    await step(gw, caseNo, { type: 'rejected', reason: '材料不全' })
    expect(await itemFigures(admin)).toMatchObject({ received: 1, open: 0, rejected: 1, completionRate: 1 })
  })

  it('are the department’s own to a clerk: another department’s clerk sees zeros', async () => {
    expect((await itemFigures(await tokenAt(gw, 'clerk-mzj'))).received).toBe(1)
    expect((await itemFigures(await tokenAt(gw, 'clerk-gaj'))).received).toBe(0)
  })

  it('need a signed-in user', async () => {
    expect((await gw.request(`/v1/items/${MARRIAGE_ITEM_CODE}`)).status).toBe(401)
  })
})

describe('an outbound case in the figures', () => {
  it('counts under direction outbound, without a Xinfeng item', async () => {
    const res = await gw.request('/v1/cases', {
      method: 'POST',
      token: await tokenAt(gw, 'clerk-mzj'),
      json: {
        partner: longmen.region,
        partnerItemCode: 'LONGMEN-OUT-1',
        applicant: {
          kind: 'person',
          name: '李四',
          idType: 'resident_id',
          idNumber: '11010519491231002X',
          mobile: '13800138000',
        },
        materials: [
          {
            code: 'M01',
            name: '身份证',
            original: true,
            file: {
              name: 'id.pdf',
              mediaType: 'application/pdf',
              content: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
            },
          },
        ],
        delivery: { method: 'window' },
      },
    })
    expect(res.status, await res.clone().text()).toBe(201)
    const stats = await gw.request('/v1/stats?direction=outbound', { token: await tokenAt(gw) })
    const body = (await stats.json()) as {
      totals: Figures
      byItem: { item: string | null; received: number }[]
    }
    expect(body.totals).toMatchObject({ received: 1, open: 1 })
    expect(body.byItem).toEqual([expect.objectContaining({ item: null, received: 1 })])
    expect((await itemFigures(await tokenAt(gw))).received).toBe(1) // the inbound item's figures stay
  })
})
