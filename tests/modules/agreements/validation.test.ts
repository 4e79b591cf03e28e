import { exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import {
  type CatalogItem,
  conghuaBody,
  crossCityItems,
  expectFieldError,
  type PartnerKeyPair,
  partnerKey,
  postAgreement,
} from './fixtures.js'

/** Every refusal when an agreement is written: 422 validation_failed, each problem located. */
let gw: TestGateway
let admin: string
let items: CatalogItem[]
let key: PartnerKeyPair
let ed: PartnerKeyPair

beforeAll(async () => {
  gw = await createTestGateway()
  admin = await gw.adminToken()
  items = await crossCityItems(gw, admin)
  key = await partnerKey('ES256', 'ch-2026-1')
  ed = await partnerKey('EdDSA', 'ch-2026-2')
})
afterAll(() => gw.close())

const post = (over: Record<string, unknown>) => postAgreement(gw, admin, conghuaBody(key.jwk, items, over))
const withKeys = (...keys: unknown[]) => post({ keys: { keys } })

describe('keys', () => {
  it('refuses a private key, naming the private member', async () => {
    expectFieldError(await withKeys(key.privateJwk), '/keys/keys/0/d', 'private_key')
  })

  it('refuses a symmetric (oct) key, whose k is a secret', async () => {
    const r = await withKeys({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ', kid: 'hmac', alg: 'HS256' })
    expectFieldError(r, '/keys/keys/0/k', 'private_key')
    expectFieldError(r, '/keys/keys/0/kty', 'unsupported_key')
  })

  it('refuses a P-384 key', async () => {
    const { publicKey } = await generateKeyPair('ES384', { extractable: true })
    const jwk = { ...(await exportJWK(publicKey)), kid: 'p384', alg: 'ES256' }
    expectFieldError(await withKeys(jwk), '/keys/keys/0/crv', 'unsupported_curve')
  })

  it('refuses an RSA key', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true })
    const jwk = { ...(await exportJWK(publicKey)), kid: 'rsa', alg: 'RS256' }
    const r = await withKeys(jwk)
    expectFieldError(r, '/keys/keys/0/kty', 'unsupported_key')
    expectFieldError(r, '/keys/keys/0/alg', 'unsupported_alg')
  })

  it('refuses X25519 (an encryption curve)', async () => {
    const { publicKey } = await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true })
    const jwk = { ...(await exportJWK(publicKey)), kid: 'x25519', alg: 'EdDSA' }
    expectFieldError(await withKeys(jwk), '/keys/keys/0/crv', 'unsupported_curve')
  })

  it('refuses an EC key registered with alg EdDSA, and an Ed25519 key with ES256', async () => {
    expectFieldError(await withKeys({ ...key.jwk, alg: 'EdDSA' }), '/keys/keys/0/alg', 'alg_mismatch')
    expectFieldError(await withKeys({ ...ed.jwk, alg: 'ES256' }), '/keys/keys/0/alg', 'alg_mismatch')
  })

  it('refuses a key without alg or kid', async () => {
    const { alg: _alg, ...noAlg } = key.jwk
    expectFieldError(await withKeys(noAlg), '/keys/keys/0/alg', 'required')
    const { kid: _kid, ...noKid } = key.jwk
    expectFieldError(await withKeys(noKid), '/keys/keys/0/kid', 'required')
  })

  it('refuses a duplicate kid', async () => {
    expectFieldError(
      await withKeys(key.jwk, { ...ed.jwk, kid: key.jwk.kid }),
      '/keys/keys/1/kid',
      'duplicate_kid',
    )
  })

  it.each([['ch 2026'], ['ch/2026'], ['密钥'], [''], ['k'.repeat(65)]])('refuses kid %j', async (kid) => {
    expectFieldError(await withKeys({ ...key.jwk, kid }), '/keys/keys/0/kid', 'invalid_kid')
  })

  it('refuses coordinates that are not a point on the curve', async () => {
    const other = await partnerKey('ES256', 'other')
    const jwk = { ...key.jwk, y: other.jwk.x }
    expectFieldError(await withKeys(jwk), '/keys/keys/0', 'unimportable_key')
  })

  it('refuses a coordinate of the wrong length', async () => {
    expectFieldError(await withKeys({ ...key.jwk, x: 'AAAA' }), '/keys/keys/0/x', 'invalid_coordinate')
  })

  it('refuses an empty key set and one of more than 10 keys', async () => {
    expectFieldError(await withKeys(), '/keys/keys', 'too_small')
    const many = Array.from({ length: 11 }, (_, i) => ({ ...key.jwk, kid: `k${i}` }))
    expectFieldError(await withKeys(...many), '/keys/keys', 'too_big')
  })

  it('refuses exp ≤ nbf and a non-numeric nbf', async () => {
    const r = await withKeys({ ...key.jwk, nbf: 1_800_000_000, exp: 1_800_000_000 })
    expectFieldError(r, '/keys/keys/0/exp', 'invalid_window')
    expectFieldError(
      await withKeys({ ...key.jwk, nbf: '2027-01-01' }),
      '/keys/keys/0/nbf',
      'invalid_numeric_date',
    )
  })

  it('refuses a key meant for encryption', async () => {
    expectFieldError(await withKeys({ ...key.jwk, use: 'enc' }), '/keys/keys/0/use', 'invalid_use')
  })

  it('reports the problems of several keys at once', async () => {
    const r = await withKeys(key.privateJwk, { ...ed.jwk, alg: 'ES256' })
    expect(r.body.errors?.map((e) => e.location)).toEqual(['/keys/keys/0/d', '/keys/keys/1/alg'])
  })
})

describe('endpoint', () => {
  it.each([
    ['not a url', 'invalid_url'],
    ['ftp://kytb.conghua.example/x', 'invalid_url'],
    ['https://user:pw@kytb.conghua.example/x', 'credentials_in_url'],
    ['https://kytb.conghua.example/x?debug=1', 'query_or_fragment'],
    ['https://kytb.conghua.example/x#top', 'query_or_fragment'],
  ])('refuses %s', async (endpoint, code) => {
    expectFieldError(await post({ endpoint }), '/endpoint', code)
  })

  it('accepts http:// and loopback partners when ALLOW_INSECURE_ENDPOINTS is true (tests, development)', async () => {
    const r = await post({
      endpoint: 'http://127.0.0.1:9090/v1/exchange/',
      partner: { region: '440100', name: '模拟' },
    })
    expect(r.status).toBe(201)
    expect(r.body.endpoint).toBe('http://127.0.0.1:9090/v1/exchange')
  })
})

describe('the rest of the agreement', () => {
  it('refuses an unknown format', async () => {
    expectFieldError(await post({ format: 'conghua-xml-v9' }), '/format', 'unknown_format')
  })

  it('refuses an inbound item that is not in the catalogue', async () => {
    const r = await post({ items: [{ direction: 'inbound', itemCode: 'NO-SUCH-ITEM' }] })
    expectFieldError(r, '/items/0/itemCode', 'unknown_item')
  })

  it('refuses a partner item code listed twice in one direction', async () => {
    const twice = [
      { direction: 'outbound', partnerItemCode: 'CH-1', name: '甲', promisedDays: 5 },
      { direction: 'outbound', partnerItemCode: 'CH-1', name: '乙', promisedDays: 5 },
    ]
    expectFieldError(await post({ items: twice }), '/items/1/partnerItemCode', 'duplicate_partner_item_code')
    // Two inbound items defaulting to the same basic code collide too.
    const same = [
      { direction: 'inbound', itemCode: items[0]?.code },
      { direction: 'inbound', itemCode: items[0]?.code },
    ]
    expectFieldError(await post({ items: same }), '/items/1', 'duplicate_partner_item_code')
  })

  it('accepts one partner code in both directions', async () => {
    const r = await post({
      partner: { region: '440101', name: '甲区' },
      items: [
        { direction: 'inbound', itemCode: items[0]?.code, partnerItemCode: 'X-1' },
        { direction: 'outbound', partnerItemCode: 'X-1', name: '甲', promisedDays: 5 },
      ],
    })
    expect(r.status).toBe(201)
  })

  it('refuses validFrom after validUntil, and a day that does not exist', async () => {
    expectFieldError(
      await post({ validFrom: '2027-01-01', validUntil: '2026-12-31' }),
      '/validUntil',
      'date_order',
    )
    expectFieldError(await post({ validUntil: '2027-02-30' }), '/validUntil', 'invalid_date')
  })

  it('refuses our own region as the partner, and a region that is not 6 digits', async () => {
    const own = await post({ partner: { region: '440233', name: '新丰县' } })
    expectFieldError(own, '/partner/region', 'own_region')
    expectFieldError(
      await post({ partner: { region: '4401', name: 'x' } }),
      '/partner/region',
      'invalid_format',
    )
  })

  it('refuses an empty partner name, a bad promisedDays, and a payload limit out of range', async () => {
    expectFieldError(await post({ partner: { region: '440117', name: '  ' } }), '/partner/name', 'too_small')
    const out = [{ direction: 'outbound', partnerItemCode: 'CH-1', name: '甲', promisedDays: 0 }]
    expectFieldError(await post({ items: out }), '/items/0/promisedDays', 'too_small')
    expectFieldError(await post({ maxPayloadBytes: 100 }), '/maxPayloadBytes', 'too_small')
    expectFieldError(await post({ maxPayloadBytes: 60 * 1024 * 1024 }), '/maxPayloadBytes', 'too_big')
  })

  it('wrote nothing for any refused agreement', async () => {
    const res = await gw.request('/v1/agreements', { token: admin })
    const { items: all } = (await res.json()) as { items: { partner: { region: string } }[] }
    expect(all.map((a) => a.partner.region).sort()).toEqual(['440100', '440101'])
  })
})

describe('with ALLOW_INSECURE_ENDPOINTS=false', () => {
  let strict: TestGateway
  let token: string
  beforeAll(async () => {
    strict = await createTestGateway({ env: { ALLOW_INSECURE_ENDPOINTS: 'false' } })
    token = await strict.adminToken()
  })
  afterAll(() => strict.close())

  const postStrict = (endpoint: string) =>
    postAgreement(strict, token, conghuaBody(key.jwk, items, { endpoint }))

  it('refuses http://', async () => {
    expectFieldError(
      await postStrict('http://kytb.conghua.example/v1/exchange'),
      '/endpoint',
      'insecure_endpoint',
    )
  })

  it.each([
    ['https://localhost/v1/exchange'],
    ['https://127.0.0.1/v1/exchange'],
    ['https://127.8.9.10:8443/x'],
    ['https://0x7f.1/x'],
    ['https://[::1]/x'],
    ['https://[::ffff:127.0.0.1]/x'],
    ['https://10.1.2.3/x'],
    ['https://172.20.0.1/x'],
    ['https://192.168.1.10/x'],
    ['https://169.254.169.254/latest'],
    ['https://[fd12:3456::1]/x'],
  ])('refuses the loopback or private host of %s', async (endpoint) => {
    expectFieldError(await postStrict(endpoint), '/endpoint', 'internal_host')
  })

  it('accepts a public https endpoint', async () => {
    const r = await postStrict('https://172.32.0.1/v1/exchange')
    expect(r.status).toBe(201)
  })
})
