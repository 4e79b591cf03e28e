import { statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DemoModeError, describeDemoSetup, setupDemo } from '../../../src/modules/demo/setup-demo.js'
import { loadOrCreatePartnerKey, partnerKeyPath } from '../../../src/simulator/index.js'
import { TEST_ADMIN_PASSWORD } from '../../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'

let gw: TestGateway

beforeAll(async () => {
  // prepare() runs the demo setup, as `npm start` does with DEMO_MODE=true.
  gw = await createTestGateway({ env: { DEMO_MODE: 'true' } })
})
afterAll(() => gw.close())

interface AgreementView {
  id: string
  partner: { region: string }
  status: string
  endpoint: string
  format: string
  keys: { keys: { kid: string; x: string }[] }
  items: { direction: string; itemCode?: string; partnerItemCode: string }[]
}

describe('demo mode', () => {
  it('registers and activates an agreement with each simulator, on its default port, with its key', async () => {
    const res = await gw.request('/v1/agreements', { token: await gw.adminToken() })
    const { items } = (await res.json()) as { items: AgreementView[] }
    const byRegion = Object.fromEntries(items.map((a) => [a.partner.region, a]))
    expect(Object.keys(byRegion).sort()).toEqual(['440117', '441324'])
    expect(byRegion['441324']).toMatchObject({
      status: 'active',
      format: 'longmen-json-v1',
      endpoint: 'http://127.0.0.1:9324/v1/exchange',
    })
    expect(byRegion['440117']).toMatchObject({
      status: 'active',
      endpoint: 'http://127.0.0.1:9117/v1/exchange',
    })
    expect(byRegion['441324']?.items).toContainEqual({
      direction: 'inbound',
      itemCode: '11440233MB2C57298J4000105001000',
      partnerItemCode: 'LM-441324-MZ-0007',
    })

    // The simulator, pointed at the same DATA_DIR, finds the key the agreement trusts.
    const dataDir = gw.deps.config.DATA_DIR
    for (const name of ['longmen', 'conghua'] as const) {
      expect(statSync(partnerKeyPath(dataDir, name)).mode & 0o777).toBe(0o600)
      const key = await loadOrCreatePartnerKey(dataDir, name)
      expect(key.created).toBe(false)
      const region = name === 'longmen' ? '441324' : '440117'
      expect(byRegion[region]?.keys.keys[0]).toMatchObject({ kid: key.kid, x: key.publicJwk.x })
    }
  })

  it('creates the clerk demo-clerk of MZJ, with ADMIN_PASSWORD when it is set', async () => {
    const res = await gw.login('demo-clerk', TEST_ADMIN_PASSWORD)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      user: { username: 'demo-clerk', role: 'clerk', department: 'MZJ' },
    })
  })

  it('does nothing on a restart', async () => {
    const again = await setupDemo({ ctx: gw.ctx() })
    expect(again).toEqual({ agreements: [] })
    expect(describeDemoSetup(again)).toBe('')
    const res = await gw.request('/v1/agreements', { token: await gw.adminToken() })
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(2)
  })

  it('refuses to run without ALLOW_INSECURE_ENDPOINTS', async () => {
    const ctx = { ...gw.ctx(), config: { ...gw.deps.config, ALLOW_INSECURE_ENDPOINTS: false } }
    await expect(setupDemo({ ctx })).rejects.toThrow(DemoModeError)
    await expect(setupDemo({ ctx })).rejects.toThrow(/ALLOW_INSECURE_ENDPOINTS=true/)
  })
})
