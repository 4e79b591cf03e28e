import { CompactSign, type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { createGatewayTrust, PARTNERS } from '../../src/simulator/index.js'

const NOW = new Date('2026-11-28T02:00:00Z')

async function gatewayKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } as JWK }
}

/** A JWKS endpoint that serves `sets` one after the other (the last one from then on), counting calls. */
function jwksServer(...sets: JWK[][]) {
  let calls = 0
  const fetchJwks = (async () => {
    const keys = sets[Math.min(calls, sets.length - 1)]
    calls += 1
    return Response.json({ keys })
  }) as unknown as typeof fetch
  return { fetchJwks, calls: () => calls }
}

async function sign(key: CryptoKey, kid: string, header: Record<string, unknown> = {}) {
  const payload = new TextEncoder().encode('{"bjbh":"LM1"}')
  return new CompactSign(payload)
    .setProtectedHeader({
      alg: 'ES256',
      kid,
      typ: 'kytb-status',
      cty: 'json',
      iss: '440233',
      aud: '441324',
      iat: Math.floor(NOW.getTime() / 1000),
      jti: 'xf-1',
      ...header,
    } as never)
    .sign(key)
}

describe("the simulator's trust in the gateway", () => {
  it('takes keys from the JWKS, cached, and refetches it when a message names an unknown kid', async () => {
    const a = await gatewayKey('xf-a')
    const b = await gatewayKey('xf-b')
    const server = jwksServer([a.jwk], [a.jwk, b.jwk])
    const trust = createGatewayTrust(PARTNERS.longmen, 'http://gw', server.fetchJwks, { refetchMinMs: 0 })

    const first = await trust.verifyMessage(
      'application/jose',
      await sign(a.privateKey, 'xf-a'),
      'kytb-status',
      NOW,
    )
    expect(first.sender).toBe('440233')
    await trust.verifyMessage('application/jose', await sign(a.privateKey, 'xf-a'), 'kytb-status', NOW)
    expect(server.calls()).toBe(1)

    // The gateway rotated to key b: one refetch, then it verifies.
    await trust.verifyMessage('application/jose', await sign(b.privateKey, 'xf-b'), 'kytb-status', NOW)
    expect(server.calls()).toBe(2)
  })

  it.each([
    [{ aud: '440117' }, 'wrong_audience'],
    [{ iss: '441324' }, 'agreement_inactive'],
    [{ iat: Math.floor(NOW.getTime() / 1000) - 301 }, 'stale_message'],
    [{ typ: 'kytb-case' }, 'payload_malformed'],
    [{ cty: 'xml' }, 'unsupported_media_type'],
    [{ jku: 'https://evil.example/jwks' }, 'signature_invalid'],
  ])('refuses %j with %s', async (header, code) => {
    const a = await gatewayKey('xf-a')
    const trust = createGatewayTrust(PARTNERS.longmen, 'http://gw', jwksServer([a.jwk]).fetchJwks)
    const jws = await sign(a.privateKey, 'xf-a', header)
    await expect(trust.verifyMessage('application/jose', jws, 'kytb-status', NOW)).rejects.toMatchObject({
      code,
    })
  })

  it('answers 503 (the gateway retries) when the JWKS cannot be fetched', async () => {
    const down = (async () => new Response('down', { status: 502 })) as unknown as typeof fetch
    const trust = createGatewayTrust(PARTNERS.longmen, 'http://gw', down)
    const a = await gatewayKey('xf-a')
    await expect(
      trust.verifyMessage('application/jose', await sign(a.privateKey, 'xf-a'), 'kytb-status', NOW),
    ).rejects.toMatchObject({ code: 'service_unavailable', status: 503 })
  })
})
