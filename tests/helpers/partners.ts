import { readFileSync } from 'node:fs'
import { CompactSign, type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import { MARRIAGE_BASIC_CODE, MARRIAGE_ITEM_CODE } from './constants.js'
import type { TestGateway } from './gateway.js'

export type PartnerName = 'conghua' | 'longmen'

const PARTNERS = {
  conghua: { region: '440117', name: '广州市从化区', format: 'conghua-xml-v1', cty: 'xml', ext: 'xml' },
  longmen: { region: '441324', name: '惠州市龙门县', format: 'longmen-json-v1', cty: 'json', ext: 'json' },
} as const

export interface SignOptions {
  jti?: string
  iat?: number
  kid?: string
  aud?: string
  cty?: string
  iss?: string
  typ?: string
  extraHeader?: Record<string, unknown>
  key?: CryptoKey
}

export interface TestPartner {
  name: PartnerName
  region: string
  format: string
  kid: string
  publicJwk: JWK
  agreementId: string
  /** A contract sample's bytes: `contracts/<format>/samples/valid/<file>`. */
  sample(file: string): Buffer
  sign(typ: string, payload: Uint8Array | string, options?: SignOptions): Promise<string>
  post(path: 'cases' | 'status', jws: string, contentType?: string): Promise<Response>
  /** Signs and posts in one go. */
  send(path: 'cases' | 'status', payload: Uint8Array | string, options?: SignOptions): Promise<Response>
}

let jtiCounter = 0

export async function makePartnerKey(kid: string, alg: 'ES256' | 'EdDSA' = 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } as JWK }
}

/**
 * A partner county with its own key, registered and activated through the admin API, whose
 * agreement covers the marriage registration item inbound (and an outbound item).
 */
export async function registerPartner(
  gw: TestGateway,
  name: PartnerName,
  options: {
    alg?: 'ES256' | 'EdDSA'
    endpoint?: string
    maxPayloadBytes?: number
    activate?: boolean
    /** More inbound items than the marriage registration. */
    extraInbound?: { itemCode: string; partnerItemCode?: string }[]
  } = {},
): Promise<TestPartner> {
  const p = PARTNERS[name]
  const kid = `${name}-2026-1`
  const { privateKey, publicJwk } = await makePartnerKey(kid, options.alg)
  const admin = await gw.adminToken()
  const inbound =
    name === 'conghua'
      ? [{ direction: 'inbound', itemCode: MARRIAGE_ITEM_CODE }]
      : [{ direction: 'inbound', itemCode: MARRIAGE_ITEM_CODE, partnerItemCode: 'LM-441324-MZ-0007' }]
  const res = await gw.request('/v1/agreements', {
    method: 'POST',
    token: admin,
    json: {
      partner: { region: p.region, name: p.name },
      format: p.format,
      endpoint: options.endpoint ?? `https://kytb.${name}.example/v1/exchange`,
      keys: { keys: [publicJwk] },
      validFrom: '2026-01-01',
      validUntil: '2027-12-31',
      items: [
        ...inbound,
        ...(options.extraInbound ?? []).map((i) => ({ direction: 'inbound', ...i })),
        {
          direction: 'outbound',
          partnerItemCode: `${name.toUpperCase()}-OUT-1`,
          name: '异地代办测试事项',
          promisedDays: 5,
        },
      ],
      ...(options.maxPayloadBytes ? { maxPayloadBytes: options.maxPayloadBytes } : {}),
    },
  })
  if (res.status !== 201) throw new Error(`agreement for ${name}: ${res.status} ${await res.text()}`)
  const { id } = (await res.json()) as { id: string }
  if (options.activate !== false) {
    const act = await gw.request(`/v1/agreements/${id}/activate`, { method: 'POST', token: admin })
    if (act.status !== 200) throw new Error(`activate ${name}: ${act.status} ${await act.text()}`)
  }

  const sign: TestPartner['sign'] = async (typ, payload, o = {}) => {
    const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload
    const header = {
      alg: options.alg ?? 'ES256',
      kid: o.kid ?? kid,
      typ: o.typ ?? typ,
      cty: o.cty ?? p.cty,
      iss: o.iss ?? p.region,
      aud: o.aud ?? '440233',
      iat: o.iat ?? Math.floor(gw.clock.now().getTime() / 1000),
      jti: o.jti ?? `${name}-msg-${++jtiCounter}-${Date.now()}`,
      ...o.extraHeader,
    }
    return new CompactSign(bytes).setProtectedHeader(header as never).sign(o.key ?? privateKey)
  }
  const post: TestPartner['post'] = (path, jws, contentType = 'application/jose') =>
    gw.request(`/v1/exchange/${path}`, {
      method: 'POST',
      body: jws,
      headers: { 'Content-Type': contentType },
    })

  return {
    name,
    region: p.region,
    format: p.format,
    kid,
    publicJwk,
    agreementId: id,
    sample: (file) => readFileSync(`contracts/${p.format}/samples/valid/${file}`),
    sign,
    post,
    send: async (path, payload, o) =>
      post(path, await sign(path === 'cases' ? 'kytb-case' : 'kytb-status', payload, o)),
  }
}

/** Checks a receipt's signature against the gateway JWKS and returns its payload. */
export async function readReceipt(gw: TestGateway, jws: string) {
  const { compactVerify, createLocalJWKSet } = await import('jose')
  const jwks = createLocalJWKSet(gw.deps.keys.publicJwks(gw.clock.now()) as never)
  const { payload, protectedHeader } = await compactVerify(jws, jwks, { algorithms: ['ES256'] })
  return {
    header: protectedHeader,
    receipt: JSON.parse(new TextDecoder().decode(payload)) as Record<string, string>,
  }
}

export { MARRIAGE_BASIC_CODE }
