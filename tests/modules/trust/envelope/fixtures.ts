import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import { expect } from 'vitest'
import { AppError } from '../../../../src/lib/errors.js'
import type { SenderAgreement, SenderKey, TrustStore } from '../../../../src/modules/trust/envelope/index.js'

export const OWN = '440233'
export const LONGMEN = '441324'
export const CONGHUA = '440117'
/** 09:30 on 28 Nov 2026 in Beijing. */
export const NOW = new Date('2026-11-28T01:30:00.000Z')
export const NOW_S = Math.floor(NOW.getTime() / 1000)

export interface TestKey {
  kid: string
  alg: 'ES256' | 'EdDSA'
  privateKey: CryptoKey
  publicKey: CryptoKey
  jwk: JWK
}

export async function makeKey(kid: string, alg: 'ES256' | 'EdDSA'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return { kid, alg, privateKey, publicKey, jwk: await exportJWK(publicKey) }
}

export function senderKey(k: TestKey, extra: Partial<SenderKey> = {}): SenderKey {
  return { kid: k.kid, jwk: k.jwk, alg: k.alg, ...extra }
}

export function agreement(
  region: string,
  keys: SenderKey[],
  extra: Partial<SenderAgreement> = {},
): SenderAgreement {
  return {
    id: `agr-${region}`,
    partnerRegion: region,
    status: 'active',
    validFrom: '2026-01-01',
    validUntil: '2027-12-31',
    format: region === CONGHUA ? 'conghua-xml-v1' : 'longmen-json-v1',
    cty: region === CONGHUA ? 'xml' : 'json',
    maxPayloadBytes: 20 * 1024 * 1024,
    keys,
    ...extra,
  }
}

/** An in-memory trust store that records every region it is asked about. */
export function memoryTrust(agreements: SenderAgreement[]): TrustStore & { calls: string[] } {
  const byRegion = new Map(agreements.map((a) => [a.partnerRegion, a]))
  const calls: string[] = []
  return {
    calls,
    async agreementFor(region) {
      calls.push(region)
      return byRegion.get(region)
    },
  }
}

export const b64u = (bytes: Uint8Array | string): string =>
  Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('base64url')

/** Signs raw bytes the way JWS does (IEEE P1363 for ECDSA), bypassing jose's header checks. */
export async function rawSign(
  key: CryptoKey,
  alg: 'ES256' | 'EdDSA',
  input: Uint8Array,
): Promise<Uint8Array> {
  const algorithm = alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' }
  return new Uint8Array(await crypto.subtle.sign(algorithm, key, input))
}

/**
 * Builds a compact JWS from any header (an object, or raw JSON text for duplicate members),
 * signed with `key`, or with the given signature bytes.
 */
export async function forge(opts: {
  header: Record<string, unknown> | string
  payload?: Uint8Array | string
  key?: TestKey
  signature?: Uint8Array
}): Promise<string> {
  const headerText = typeof opts.header === 'string' ? opts.header : JSON.stringify(opts.header)
  const input = `${b64u(headerText)}.${b64u(opts.payload ?? CASE_PAYLOAD)}`
  const sig =
    opts.signature ??
    (opts.key ? await rawSign(opts.key.privateKey, opts.key.alg, Buffer.from(input)) : new Uint8Array())
  return `${input}.${b64u(sig)}`
}

export const CASE_PAYLOAD = JSON.stringify({ caseNo: 'LM-2026-000123', item: '11441324MB2C91234X' })

/** The header of a valid Longmen kytb-case, signed with `key`. */
export function header(key: TestKey, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    alg: key.alg,
    kid: key.kid,
    typ: 'kytb-case',
    cty: 'json',
    iss: LONGMEN,
    aud: OWN,
    iat: NOW_S,
    jti: 'lm-0001',
    ...extra,
  }
}

export async function expectRefusal(p: Promise<unknown>, status: number, code: string): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e, `expected ${status} ${code}`).toBeInstanceOf(AppError)
  const err = e as AppError
  expect({ status: err.status, code: err.code }).toEqual({ status, code })
  return err
}
