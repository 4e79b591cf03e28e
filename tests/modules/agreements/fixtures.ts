import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import { expect } from 'vitest'
import type { TestGateway } from '../../helpers/gateway.js'

export const CONGHUA = '440117'
export const LONGMEN = '441324'

export interface PartnerKeyPair {
  /** the public JWK as the partner registers it */
  jwk: JWK & { kid: string; alg: string }
  privateKey: CryptoKey
  privateJwk: JWK
}

/** A real partner key pair, generated the way a partner would. */
export async function partnerKey(
  alg: 'ES256' | 'EdDSA',
  kid: string,
  extra: Record<string, unknown> = {},
): Promise<PartnerKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  return {
    jwk: { ...(await exportJWK(publicKey)), kid, alg, ...extra },
    privateKey,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
  }
}

export interface CatalogItem {
  code: string
  basicCode: string
  name: string
}

/** Real cross-city items of the sample catalogue, found through the API as an administrator would. */
export async function crossCityItems(gw: TestGateway, token: string): Promise<CatalogItem[]> {
  const res = await gw.request('/v1/items?crossCity=true&limit=500', { token })
  expect(res.status).toBe(200)
  const { items } = (await res.json()) as { items: CatalogItem[] }
  expect(items.length).toBeGreaterThan(5)
  return items
}

/** A valid Conghua agreement body; `over` replaces top-level members. */
export function conghuaBody(jwk: JWK, items: CatalogItem[], over: Record<string, unknown> = {}) {
  return {
    partner: { region: CONGHUA, name: '广州市从化区' },
    format: 'conghua-xml-v1',
    endpoint: 'https://kytb.conghua.example/v1/exchange',
    keys: { keys: [jwk] },
    validFrom: '2026-01-01',
    validUntil: '2027-12-31',
    items: [
      { direction: 'inbound', itemCode: items[0]?.code },
      { direction: 'inbound', itemCode: items[1]?.code, partnerItemCode: items[1]?.basicCode },
      { direction: 'outbound', partnerItemCode: 'CH-000201', name: '从化区 户籍迁移', promisedDays: 10 },
    ],
    maxPayloadBytes: 20971520,
    ...over,
  }
}

export interface ApiAgreement {
  id: string
  partner: { region: string; name: string }
  format: string
  endpoint: string
  status: string
  validFrom: string
  validUntil: string
  maxPayloadBytes: number
  version: number
  keys: { keys: (JWK & { kid: string })[] }
  items: Record<string, unknown>[]
  createdAt: string
  updatedAt: string
  versions?: { version: number; change: string; changedBy: string; changedAt: string }[]
}

export interface Problem {
  status: number
  code: string
  detail?: string
  errors?: { location: string; code: string; message: string }[]
}

/** Posts an agreement and returns the status and body. */
export async function postAgreement(gw: TestGateway, token: string, body: unknown) {
  const res = await gw.request('/v1/agreements', { method: 'POST', token, json: body })
  return { status: res.status, body: (await res.json()) as ApiAgreement & Problem }
}

/** Expects a 422 validation_failed naming `location` with `code`. */
export function expectFieldError(result: { status: number; body: Problem }, location: string, code: string) {
  expect(result.status).toBe(422)
  expect(result.body.code).toBe('validation_failed')
  expect(result.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ location, code })]))
}
