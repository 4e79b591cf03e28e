import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latestEntries } from '../../../src/modules/audit/repository.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../../helpers/partners.js'

let gw: TestGateway
let conghua: TestPartner

beforeAll(async () => {
  gw = await createTestGateway()
  conghua = await registerPartner(gw, 'conghua')
})
afterAll(() => gw.close())

const put = async (body: unknown, token?: string) =>
  gw.request('/v1/maintenance', { method: 'PUT', token: token ?? (await gw.adminToken()), json: body })

describe('maintenance mode', () => {
  it('answers exchange intake with 503 and Retry-After while on, and accepts again when off', async () => {
    const on = await put({ enabled: true, retryAfter: 120, reason: '数据库升级' })
    expect(on.status).toBe(200)
    expect(await on.json()).toMatchObject({ enabled: true, retryAfter: 120, reason: '数据库升级' })

    const refused = await conghua.send('cases', conghua.sample('case-marriage-mail.xml'))
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('120')
    expect(((await refused.json()) as { code: string }).code).toBe('service_unavailable')
    // The gateway's own API keeps working.
    expect((await gw.request('/v1/items?limit=1', { token: await gw.adminToken() })).status).toBe(200)

    await put({ enabled: false })
    gw.clock.advance(3000)
    const accepted = await conghua.send('cases', conghua.sample('case-marriage-mail.xml'))
    expect(accepted.status).toBe(201)
    const actions = (await latestEntries(gw.database.db, 20)).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['maintenance.on', 'maintenance.off']))
  })

  it('is switched by administrators only', async () => {
    const clerk = await gw.clerkToken('MZJ')
    expect((await put({ enabled: true }, clerk)).status).toBe(403)
    expect((await gw.request('/v1/maintenance', { method: 'PUT', json: { enabled: true } })).status).toBe(401)
    expect((await put({ enabled: 'yes' })).status).toBe(422)
    const state = await gw.request('/v1/maintenance', { token: await gw.adminToken() })
    expect(((await state.json()) as { enabled: boolean }).enabled).toBe(false)
  })
})
