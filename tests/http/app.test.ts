import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'

let gw: TestGateway
beforeAll(async () => {
  gw = await createTestGateway()
  gw.app.get('/boom', () => {
    throw new Error('database password is hunter2')
  })
})
afterAll(() => gw.close())

describe('health', () => {
  it('GET /healthz answers while the process is up', async () => {
    const res = await gw.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('GET /readyz answers 200 once the database is reachable and migrated', async () => {
    const res = await gw.request('/readyz')
    expect(res.status).toBe(200)
  })
})

describe('errors', () => {
  it('answers an unknown route with a problem+json 404 and a request id header', async () => {
    const res = await gw.request('/v1/nothing-here')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.headers.get('x-request-id')).toBeTruthy()
    expect(await res.json()).toMatchObject({
      status: 404,
      code: 'not_found',
      type: expect.stringContaining('not-found'),
    })
  })

  it('turns an unexpected error into a generic 500 with the request id and no details', async () => {
    const res = await gw.request('/boom')
    expect(res.status).toBe(500)
    const body = (await res.json()) as { code: string; requestId: string; detail: string }
    expect(body.code).toBe('internal_error')
    expect(body.requestId).toBe(res.headers.get('x-request-id'))
    expect(JSON.stringify(body)).not.toContain('hunter2')
  })

  it('refuses a body over the API limit with 413 before the route sees it', async () => {
    const small = await createTestGateway({ env: { API_BODY_LIMIT_BYTES: '2048' } })
    try {
      const res = await small.request('/v1/auth/login', {
        method: 'POST',
        json: { username: 'admin', password: 'x'.repeat(4096) },
      })
      expect(res.status).toBe(413)
      expect(((await res.json()) as { code: string }).code).toBe('payload_too_large')
    } finally {
      await small.close()
    }
  })
})

describe('security headers', () => {
  it('sends a CSP without inline scripts, nosniff and frame denial', async () => {
    const res = await gw.request('/healthz')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
  })
})

describe('API description', () => {
  it('serves an OpenAPI 3.1 document generated from the routes', async () => {
    const res = await gw.request('/openapi.json')
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/items', '/v1/items/{code}', '/v1/auth/login']),
    )
  })

  it('serves the docs page and its assets from the gateway itself', async () => {
    const page = await (await gw.request('/docs')).text()
    const srcs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string)
    expect(srcs.length).toBeGreaterThan(0)
    for (const src of srcs) {
      expect(src.startsWith('/')).toBe(true)
      expect((await gw.request(src)).status).toBe(200)
    }
  })

  it('publishes the gateway JWKS with public keys only', async () => {
    const res = await gw.request('/.well-known/jwks.json')
    const jwks = (await res.json()) as { keys: Record<string, string>[] }
    expect(jwks.keys.length).toBe(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' })
    expect(jwks.keys[0]?.d).toBeUndefined()
  })
})
