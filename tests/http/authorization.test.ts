import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'

/**
 * Function-level access for every route of the API, read from the OpenAPI document so that a
 * new route cannot slip through unclassified: nobody gets 401 on anything not public, a clerk
 * gets 403 on administrators' routes, and the right role gets past authorization (its answer may
 * then be 2xx, 404 or 422, never 401 or 403). Object-level access (a clerk of another
 * department) is tested with each module (cases, stats, items).
 */
const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'GET /.well-known/jwks.json', 'POST /v1/auth/login'])
/** Signed by partners, not by users: the envelope decides (tests/modules/exchange). */
const EXCHANGE = /^(GET|POST) \/v1\/exchange\//
const ADMIN = [
  /^POST \/v1\/users$/,
  /^GET \/v1\/users$/,
  /^PATCH \/v1\/items\/\{code\}$/,
  /\/v1\/agreements/,
  /\/v1\/outbox\//,
  /\/v1\/maintenance$/,
  /^(PUT|DELETE) \/v1\/calendar\/overrides\/\{date\}$/,
]

let gw: TestGateway
let routes: string[]
let admin: string
let clerk: string

beforeAll(async () => {
  gw = await createTestGateway()
  const doc = (await (await gw.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>
  }
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  )
  admin = await gw.adminToken()
  clerk = await gw.clerkToken('MZJ')
})
afterAll(() => gw.close())

const PARAMS: Record<string, string> = {
  code: 'NO-SUCH-ITEM',
  id: '00000000-0000-4000-8000-000000000000',
  caseNo: 'XF-2026-999999',
  date: '2026-10-01',
}

function call(route: string, token?: string) {
  const [method, template] = route.split(' ') as [string, string]
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? 'x')
  return gw.request(path, {
    method,
    ...(token ? { token } : {}),
    ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }),
  })
}

/** Signing out ends the token the matrix uses: checked on its own below. */
const LOGOUT = 'POST /v1/auth/logout'

const kind = (route: string) =>
  route === LOGOUT
    ? 'logout'
    : PUBLIC.has(route)
      ? 'public'
      : EXCHANGE.test(route)
        ? 'exchange'
        : ADMIN.some((r) => r.test(route))
          ? 'admin'
          : 'user'

describe('who may call each route', () => {
  it('knows every route (the OpenAPI document lists them all)', () => {
    expect(routes.length).toBeGreaterThan(30)
    expect(routes.filter((r) => kind(r) === 'admin').length).toBeGreaterThan(10)
  })

  it('answers 401 to nobody on every route that is not public or partner-signed', async () => {
    for (const route of routes.filter((r) => kind(r) === 'admin' || kind(r) === 'user')) {
      const res = await call(route)
      expect(res.status, route).toBe(401)
      expect(((await res.json()) as { code: string }).code, route).toBe('unauthenticated')
    }
  })

  it('answers 403 to a clerk on every administrator route, and lets it through the others', async () => {
    for (const route of routes.filter((r) => kind(r) === 'admin' || kind(r) === 'user')) {
      const res = await call(route, clerk)
      if (kind(route) === 'admin') expect(res.status, route).toBe(403)
      else expect([401, 403], route).not.toContain(res.status)
    }
  })

  it('lets an administrator through every user and administrator route', async () => {
    for (const route of routes.filter((r) => kind(r) === 'admin' || kind(r) === 'user')) {
      const res = await call(route, admin)
      expect([401, 403], route).not.toContain(res.status)
      expect(res.status, route).toBeLessThan(500)
    }
  })

  it('lets anyone signed in sign out, and nobody else', async () => {
    expect((await call(LOGOUT)).status).toBe(401)
    expect((await call(LOGOUT, await gw.clerkToken('GAJ'))).status).toBe(204)
  })

  it('keeps partner routes to signed messages: a user token is no key', async () => {
    for (const route of routes.filter((r) => kind(r) === 'exchange')) {
      const res = await call(route, admin)
      expect([400, 401, 415], route).toContain(res.status)
    }
  })
})
