import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import {
  type ApiAgreement,
  type CatalogItem,
  conghuaBody,
  crossCityItems,
  type PartnerKeyPair,
  partnerKey,
  postAgreement,
} from './fixtures.js'

/** Moves the lifecycle does not allow, and the rules of activation. */
let gw: TestGateway
let admin: string
let items: CatalogItem[]
let key: PartnerKeyPair

beforeAll(async () => {
  gw = await createTestGateway()
  admin = await gw.adminToken()
  items = await crossCityItems(gw, admin)
  key = await partnerKey('ES256', 'k1')
})
afterAll(() => gw.close())

const create = async (region: string, over: Record<string, unknown> = {}) => {
  const r = await postAgreement(
    gw,
    admin,
    conghuaBody(key.jwk, items, { partner: { region, name: '伙伴' }, ...over }),
  )
  expect(r.status).toBe(201)
  return r.body
}
const act = async (a: ApiAgreement, action: string) => {
  const res = await gw.request(`/v1/agreements/${a.id}/${action}`, { method: 'POST', token: admin })
  return { status: res.status, body: (await res.json()) as ApiAgreement & { code: string; detail: string } }
}

describe('status moves', () => {
  it('refuses terminated → active with 409 transition_not_allowed, and changes nothing', async () => {
    const a = await create('440301')
    expect((await act(a, 'terminate')).status).toBe(200)
    const r = await act(a, 'activate')
    expect(r.status).toBe(409)
    expect(r.body.code).toBe('transition_not_allowed')
    const after = (await (
      await gw.request(`/v1/agreements/${a.id}`, { token: admin })
    ).json()) as ApiAgreement
    expect(after).toMatchObject({ status: 'terminated', version: 2 })
  })

  it.each([
    [[], 'suspend'],
    [['activate'], 'activate'],
    [['activate', 'suspend'], 'suspend'],
    [['terminate'], 'terminate'],
  ])('after %j refuses %s', async (before, action) => {
    const a = await create('440302')
    for (const step of before) expect((await act(a, step)).status).toBe(200)
    const r = await act(a, action)
    expect(r.status).toBe(409)
    expect(r.body.code).toBe('transition_not_allowed')
    if (before.includes('activate')) await act(a, 'terminate')
  })

  it('refuses a second active agreement for the same partner with 409 conflict', async () => {
    const first = await create('440303')
    const second = await create('440303')
    expect((await act(first, 'activate')).status).toBe(200)
    const r = await act(second, 'activate')
    expect(r.status).toBe(409)
    expect(r.body.code).toBe('conflict')
    expect(r.body.detail).toContain(first.id)
    // Once the first is suspended the second may take over.
    expect((await act(first, 'suspend')).status).toBe(200)
    expect((await act(second, 'activate')).status).toBe(200)
    expect((await act(first, 'activate')).status).toBe(409)
  })

  it('refuses to activate an agreement whose validity has ended (Beijing calendar)', async () => {
    // 2026-11-28T02:00Z is already 10:00 on the 28th in Beijing.
    const ended = await create('440304', { validFrom: '2026-01-01', validUntil: '2026-11-27' })
    const r = await act(ended, 'activate')
    expect(r.status).toBe(409)
    expect(r.body.code).toBe('conflict')
    const lastDay = await create('440305', { validFrom: '2026-01-01', validUntil: '2026-11-28' })
    expect((await act(lastDay, 'activate')).status).toBe(200)
  })

  it('refuses new keys for a terminated agreement', async () => {
    const a = await create('440306')
    await act(a, 'terminate')
    const res = await gw.request(`/v1/agreements/${a.id}/keys`, {
      method: 'PUT',
      token: admin,
      json: { keys: [key.jwk] },
    })
    expect(res.status).toBe(409)
  })

  it('locates key problems in PUT /keys relative to its own body', async () => {
    const a = await create('440307')
    const res = await gw.request(`/v1/agreements/${a.id}/keys`, {
      method: 'PUT',
      token: admin,
      json: { keys: [key.privateJwk] },
    })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { errors: { location: string; code: string }[] }
    expect(body.errors).toContainEqual(
      expect.objectContaining({ location: '/keys/0/d', code: 'private_key' }),
    )
  })
})
