import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { type ApiAgreement, conghuaBody, crossCityItems, partnerKey } from './fixtures.js'

/** Agreements decide whom the gateway trusts: every route is for administrators only. */
let gw: TestGateway
let admin: string
let clerk: string
let body: ReturnType<typeof conghuaBody>
let jwks: { keys: unknown[] }

beforeAll(async () => {
  gw = await createTestGateway()
  admin = await gw.adminToken()
  clerk = await gw.clerkToken('MZJ')
  const key = await partnerKey('ES256', 'k1')
  body = conghuaBody(key.jwk, await crossCityItems(gw, admin))
  jwks = { keys: [key.jwk] }
})
afterAll(() => gw.close())

type Call = { method: string; path: (id: string) => string; json?: () => unknown; ok: number }
const routes: Call[] = [
  { method: 'POST', path: () => '/v1/agreements', json: () => body, ok: 201 },
  { method: 'GET', path: () => '/v1/agreements', ok: 200 },
  { method: 'GET', path: (id) => `/v1/agreements/${id}`, ok: 200 },
  { method: 'GET', path: (id) => `/v1/agreements/${id}/versions`, ok: 200 },
  { method: 'PUT', path: (id) => `/v1/agreements/${id}/keys`, json: () => jwks, ok: 200 },
  { method: 'POST', path: (id) => `/v1/agreements/${id}/activate`, ok: 200 },
  { method: 'POST', path: (id) => `/v1/agreements/${id}/suspend`, ok: 200 },
  { method: 'POST', path: (id) => `/v1/agreements/${id}/terminate`, ok: 200 },
]

const send = (r: Call, id: string, token?: string) =>
  gw.request(r.path(id), {
    method: r.method,
    ...(token ? { token } : {}),
    ...(r.json ? { json: r.json() } : {}),
  })

describe('agreements — security', () => {
  it('answers every route with 401 without a token, 403 for a clerk, 2xx for an admin', async () => {
    const created = (await (await send(routes[0] as Call, '', admin)).json()) as ApiAgreement
    for (const r of routes) {
      const anonymous = await send(r, created.id)
      expect(anonymous.status, `${r.method} ${r.path('{id}')} anonymous`).toBe(401)
      expect(((await anonymous.json()) as { code: string }).code).toBe('unauthenticated')
      const asClerk = await send(r, created.id, clerk)
      expect(asClerk.status, `${r.method} ${r.path('{id}')} clerk`).toBe(403)
      const asAdmin = await send(r, created.id, admin)
      expect(asAdmin.status, `${r.method} ${r.path('{id}')} admin`).toBe(r.ok)
    }
  })

  it('leaves the agreement untouched by refused callers', async () => {
    const res = await gw.request('/v1/agreements', { token: admin })
    const { items } = (await res.json()) as { items: ApiAgreement[] }
    // One created by the admin in the test above, then the admin's own changes only.
    expect(items).toHaveLength(2)
  })

  it.each([['0b7e3d5c-3a55-4a53-9d5e-7f1f2a9b4c11'], ['not-a-uuid'], ['%27%20or%201%3D1']])(
    'answers 404 not_found for agreement id %s on every route that names one',
    async (id) => {
      for (const r of routes.slice(2)) {
        const res = await send(r, id, admin)
        expect(res.status, `${r.method} ${r.path(id)}`).toBe(404)
        expect(((await res.json()) as { code: string }).code).toBe('not_found')
      }
    },
  )
})

describe('agreements — OpenAPI', () => {
  it('documents every agreement route', async () => {
    const doc = (await (await gw.request('/openapi.json')).json()) as { paths: Record<string, object> }
    for (const path of [
      '/v1/agreements',
      '/v1/agreements/{id}',
      '/v1/agreements/{id}/versions',
      '/v1/agreements/{id}/keys',
      '/v1/agreements/{id}/activate',
      '/v1/agreements/{id}/suspend',
      '/v1/agreements/{id}/terminate',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
  })
})
