import type { JWK } from 'jose'
import { AppError, isAppError } from '../lib/errors.js'
import {
  createKeyCache,
  type MessageTyp,
  type SenderAgreement,
  type SenderKey,
  type VerifiedMessage,
  type VerifiedReceipt,
  verifyEnvelope,
  verifyMessage,
  verifyReceipt,
} from '../modules/trust/envelope/index.js'
import { GATEWAY_REGION, type PartnerProfile } from './partners.js'

/** An unknown kid refetches the JWKS, but not more often than this (a stream of junk kids is not a DoS). */
const REFETCH_MIN_MS = 5_000

export interface GatewayTrust {
  /** An incoming POST from the gateway: content type, signature, typ, aud, iss, ±300 s. */
  verifyMessage(
    contentType: string | undefined,
    body: string,
    expectedTyp: MessageTyp,
    now: Date,
  ): Promise<VerifiedMessage>
  /** The gateway's answer to a query: a kytb-status JWS. */
  verifyStatus(jws: string, now: Date): Promise<VerifiedMessage>
  /** The gateway's receipt for a message the simulator sent. */
  verifyReceipt(jws: string, expected: { ref: string; digest: string; now: Date }): Promise<VerifiedReceipt>
}

/**
 * The gateway as the simulator trusts it: keys only from `GET {gateway}/.well-known/jwks.json`,
 * fetched on first use and cached, refetched when a message names a kid the cache lacks (the
 * gateway rotated). Verification itself is the gateway's own envelope module, in the other role.
 */
export function createGatewayTrust(
  profile: PartnerProfile,
  gatewayUrl: string,
  fetchImpl: typeof fetch = fetch,
  { refetchMinMs = REFETCH_MIN_MS } = {},
): GatewayTrust {
  const keyCache = createKeyCache(16)
  let cached: SenderAgreement | undefined
  let fetchedAt = 0

  const load = async (force: boolean): Promise<SenderAgreement> => {
    if (cached && (!force || Date.now() - fetchedAt < refetchMinMs)) return cached
    let res: Response
    try {
      res = await fetchImpl(`${gatewayUrl}/.well-known/jwks.json`, { signal: AbortSignal.timeout(10_000) })
    } catch (cause) {
      throw new AppError('service_unavailable', 'cannot fetch the gateway JWKS', { cause })
    }
    if (!res.ok) throw new AppError('service_unavailable', `gateway JWKS answered ${res.status}`)
    const jwks = (await res.json()) as { keys?: JWK[] }
    cached = {
      id: `gateway-jwks:${gatewayUrl}`,
      partnerRegion: GATEWAY_REGION,
      status: 'active',
      validFrom: '0001-01-01',
      validUntil: '9999-12-31',
      format: profile.format.id,
      cty: profile.format.cty,
      maxPayloadBytes: 20 * 1024 * 1024,
      keys: (jwks.keys ?? []).flatMap(senderKey),
    }
    fetchedAt = Date.now()
    return cached
  }
  const trust = {
    agreementFor: async (region: string) => (region === GATEWAY_REGION ? load(false) : undefined),
  }

  /** Runs `check`; on an unknown kid, refetches the JWKS once and runs it again. */
  const withRefetch = async <T>(check: () => Promise<T>): Promise<T> => {
    try {
      return await check()
    } catch (err) {
      const unknownKid =
        isAppError(err) && (err.code === 'unknown_key' || err.internal?.includes('unknown_key') === true)
      if (!unknownKid) throw err
      await load(true)
      return check()
    }
  }

  return {
    verifyMessage: (contentType, body, expectedTyp, now) =>
      withRefetch(() =>
        verifyMessage({ contentType, body, expectedTyp, now, ownRegion: profile.region, trust, keyCache }),
      ),
    verifyStatus: (jws, now) =>
      withRefetch(() =>
        verifyEnvelope(jws, { expectedTyp: 'kytb-status', now, ownRegion: profile.region, trust, keyCache }),
      ),
    verifyReceipt: (jws, { ref, digest, now }) =>
      withRefetch(async () =>
        verifyReceipt(jws, {
          partnerAgreement: await load(false),
          expectedRef: ref,
          expectedDigest: digest,
          ownRegion: profile.region,
          now,
          keyCache,
        }),
      ),
  }
}

/** A published key as the envelope wants it; nbf/exp (rotation) become its validity window. */
function senderKey(jwk: JWK & { nbf?: unknown; exp?: unknown }): SenderKey[] {
  const alg = jwk.alg === 'ES256' ? 'ES256' : jwk.alg === 'EdDSA' ? 'EdDSA' : undefined
  if (typeof jwk.kid !== 'string' || alg === undefined) return []
  return [
    {
      kid: jwk.kid,
      jwk,
      alg,
      ...(typeof jwk.nbf === 'number' ? { notBefore: new Date(jwk.nbf * 1000) } : {}),
      ...(typeof jwk.exp === 'number' ? { notAfter: new Date(jwk.exp * 1000) } : {}),
    },
  ]
}
