import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latestEntries } from '../../../src/modules/audit/repository.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import {
  type ApiAgreement,
  type CatalogItem,
  CONGHUA,
  conghuaBody,
  crossCityItems,
  LONGMEN,
  partnerKey,
  postAgreement,
} from './fixtures.js'

let gw: TestGateway
let admin: string
let items: CatalogItem[]
let conghua: ApiAgreement
let longmen: ApiAgreement

beforeAll(async () => {
  gw = await createTestGateway()
  admin = await gw.adminToken()
  items = await crossCityItems(gw, admin)
})
afterAll(() => gw.close())

const call = async (method: string, path: string, json?: unknown) => {
  const res = await gw.request(path, { method, token: admin, ...(json === undefined ? {} : { json }) })
  return { status: res.status, body: (await res.json()) as ApiAgreement & { code?: string } }
}

describe('POST /v1/agreements', () => {
  it('registers a Conghua XML agreement as a draft, inbound items defaulting to basic codes', async () => {
    const key = await partnerKey('ES256', 'ch-2026-1')
    const body = conghuaBody(key.jwk, items, { endpoint: 'https://KYTB.conghua.example/v1/exchange/' })
    const { status, body: created } = await postAgreement(gw, admin, body)
    expect(status).toBe(201)
    conghua = created
    expect(created).toMatchObject({
      partner: { region: CONGHUA, name: '广州市从化区' },
      format: 'conghua-xml-v1',
      endpoint: 'https://kytb.conghua.example/v1/exchange',
      status: 'draft',
      validFrom: '2026-01-01',
      validUntil: '2027-12-31',
      maxPayloadBytes: 20971520,
      version: 1,
      createdAt: '2026-11-28T02:00:00.000Z',
    })
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.keys).toEqual({ keys: [key.jwk] })
    expect(created.items).toEqual([
      { direction: 'inbound', itemCode: items[0]?.code, partnerItemCode: items[0]?.basicCode },
      { direction: 'inbound', itemCode: items[1]?.code, partnerItemCode: items[1]?.basicCode },
      { direction: 'outbound', partnerItemCode: 'CH-000201', name: '从化区 户籍迁移', promisedDays: 10 },
    ])
  })

  it('registers a Longmen JSON agreement with an Ed25519 key and Longmen’s own item codes', async () => {
    const key = await partnerKey('EdDSA', 'lm-2026-1')
    const { status, body } = await postAgreement(gw, admin, {
      partner: { region: LONGMEN, name: '惠州市龙门县' },
      format: 'longmen-json-v1',
      endpoint: 'https://zwfw.longmen.example/kytb/v1/exchange',
      keys: { keys: [key.jwk] },
      validFrom: '2026-03-01',
      validUntil: '2028-02-29',
      items: [
        { direction: 'inbound', itemCode: items[2]?.code, partnerItemCode: 'LM-441324-MZ-0007' },
        { direction: 'inbound', itemCode: items[3]?.code, partnerItemCode: 'LM-441324-GA-0012' },
        {
          direction: 'outbound',
          partnerItemCode: 'LM-441324-RS-0101',
          name: '龙门县 社保关系转移',
          promisedDays: 15,
        },
      ],
      maxPayloadBytes: 1048576,
    })
    expect(status).toBe(201)
    longmen = body
    expect(body).toMatchObject({
      status: 'draft',
      format: 'longmen-json-v1',
      maxPayloadBytes: 1048576,
      version: 1,
    })
    expect(body.keys.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: key.jwk.x, kid: 'lm-2026-1', alg: 'EdDSA' },
    ])
    expect(body.items[0]).toEqual({
      direction: 'inbound',
      itemCode: items[2]?.code,
      partnerItemCode: 'LM-441324-MZ-0007',
    })
  })

  it('makes the inbound items show up in the catalogue’s partner filter', async () => {
    const res = await gw.request(`/v1/items?partner=${CONGHUA}`, { token: admin })
    const page = (await res.json()) as { items: { code: string }[] }
    expect(page.items.map((i) => i.code).sort()).toEqual([items[0]?.code, items[1]?.code].sort())
  })
})

describe('GET /v1/agreements and /v1/agreements/{id}', () => {
  it('shows one agreement with its keys, items and versions', async () => {
    const { status, body } = await call('GET', `/v1/agreements/${conghua.id}`)
    expect(status).toBe(200)
    const { versions, ...agreement } = body
    expect(agreement).toEqual(conghua)
    expect(versions).toEqual([
      { version: 1, change: 'created', changedBy: 'user:admin', changedAt: '2026-11-28T02:00:00.000Z' },
    ])
  })

  it('lists every agreement, and filters by partner and status', async () => {
    const all = (await call('GET', '/v1/agreements')).body as unknown as { items: ApiAgreement[] }
    expect(all.items.map((a) => a.id).sort()).toEqual([conghua.id, longmen.id].sort())
    const byPartner = (await call('GET', `/v1/agreements?partner=${LONGMEN}`)).body as unknown as {
      items: ApiAgreement[]
    }
    expect(byPartner.items.map((a) => a.id)).toEqual([longmen.id])
    const active = (await call('GET', '/v1/agreements?status=active')).body as unknown as { items: unknown[] }
    expect(active.items).toEqual([])
  })
})

describe('lifecycle', () => {
  it('activates, suspends, re-activates and terminates, one version each', async () => {
    const steps = [
      ['activate', 'active'],
      ['suspend', 'suspended'],
      ['activate', 'active'],
      ['terminate', 'terminated'],
    ] as const
    for (const [i, [action, status]] of steps.entries()) {
      gw.clock.advance(60_000)
      const res = await call('POST', `/v1/agreements/${conghua.id}/${action}`)
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ id: conghua.id, status, version: i + 2 })
      expect(res.body.updatedAt).toBe(gw.clock.now().toISOString())
    }
  })

  it('replaces the partner’s keys (rotation), keeping nbf/exp as the keys’ own window', async () => {
    const old = longmen.keys.keys[0]
    const next = await partnerKey('EdDSA', 'lm-2027-1', { nbf: 1_798_732_800 })
    const retiring = { ...old, exp: 1_799_337_600 }
    const res = await call('PUT', `/v1/agreements/${longmen.id}/keys`, { keys: [retiring, next.jwk] })
    expect(res.status).toBe(200)
    expect(res.body.version).toBe(2)
    expect(res.body.keys.keys.map((k) => k.kid)).toEqual(['lm-2026-1', 'lm-2027-1'])
    expect(res.body.keys.keys[1]).toMatchObject({ nbf: 1_798_732_800 })
    expect(res.body.items).toEqual(longmen.items)
  })

  it('keeps every earlier version, numbered, each a whole snapshot', async () => {
    const res = await gw.request(`/v1/agreements/${conghua.id}/versions`, { token: admin })
    expect(res.status).toBe(200)
    const { items: versions } = (await res.json()) as {
      items: { version: number; change: string; changedBy: string; snapshot: ApiAgreement }[]
    }
    expect(versions.map((v) => [v.version, v.change, v.snapshot.status])).toEqual([
      [1, 'created', 'draft'],
      [2, 'activated', 'active'],
      [3, 'suspended', 'suspended'],
      [4, 'activated', 'active'],
      [5, 'terminated', 'terminated'],
    ])
    expect(versions[0]?.snapshot).toEqual(conghua)
    expect(versions.every((v) => v.changedBy === 'user:admin' && v.snapshot.version === v.version)).toBe(true)

    const lm = (await (
      await gw.request(`/v1/agreements/${longmen.id}/versions`, { token: admin })
    ).json()) as {
      items: { change: string; snapshot: ApiAgreement }[]
    }
    expect(lm.items.map((v) => v.change)).toEqual(['created', 'keys_replaced'])
    expect(lm.items[0]?.snapshot.keys).toEqual(longmen.keys)
  })

  it('audits every change with the agreement as subject', async () => {
    const entries = await latestEntries(gw.database.db, 50)
    const mine = entries.filter((e) => e.subject.startsWith('agreement:')).reverse()
    expect(mine.map((e) => [e.action, e.subject])).toEqual([
      ['agreement.created', `agreement:${conghua.id}`],
      ['agreement.created', `agreement:${longmen.id}`],
      ['agreement.activated', `agreement:${conghua.id}`],
      ['agreement.suspended', `agreement:${conghua.id}`],
      ['agreement.activated', `agreement:${conghua.id}`],
      ['agreement.terminated', `agreement:${conghua.id}`],
      ['agreement.keys_replaced', `agreement:${longmen.id}`],
    ])
    expect(mine.every((e) => e.actor === 'user:admin')).toBe(true)
    expect(mine[3]?.data).toMatchObject({ from: 'active', to: 'suspended', version: 3 })
    expect(mine[6]?.data).toMatchObject({ from: ['lm-2026-1'], to: ['lm-2026-1', 'lm-2027-1'] })
  })
})
