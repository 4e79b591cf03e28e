import type { JWK } from 'jose'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import { getFormat } from '../formats/registry.js'
import type { ContentKind, SenderAgreement, SenderKey, TrustStore } from '../trust/envelope/types.js'
import { type AgreementKeyRow, type AgreementRow, findPartnerAgreement } from './repository.js'

export interface AgreementTrustStore extends TrustStore {
  /** Forgets the cached agreement of `region` (or of every partner), e.g. right after a change. */
  invalidate(region?: string): void
}

export interface TrustStoreOptions {
  /** How long an answer is reused; an agreement change takes effect for intake within this time. */
  ttlMs?: number
  /** Bound on cached regions: `iss` is the sender's word, so unknown codes must not grow the cache. */
  maxEntries?: number
}

/** The JWS `cty` of a format: the registry's, else read from its name (`conghua-xml-v1` → xml). */
export function ctyOf(format: string): ContentKind {
  return getFormat(format)?.cty ?? (format.includes('-xml-') ? 'xml' : 'json')
}

export function toSenderAgreement(row: AgreementRow, keys: AgreementKeyRow[]): SenderAgreement {
  return Object.freeze({
    id: row.id,
    partnerRegion: row.partnerRegion,
    status: row.status,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    format: row.format,
    cty: ctyOf(row.format),
    maxPayloadBytes: row.maxPayloadBytes,
    keys: Object.freeze(
      keys.map(
        (k): SenderKey =>
          Object.freeze({
            kid: k.kid,
            jwk: Object.freeze({ ...(k.jwk as JWK) }),
            alg: k.alg,
            ...(k.notBefore ? { notBefore: k.notBefore } : {}),
            ...(k.notAfter ? { notAfter: k.notAfter } : {}),
          }),
      ),
    ) as SenderKey[],
  })
}

/**
 * The envelope's view of the agreements: a partner's ACTIVE agreement, else its most recent one
 * (so the envelope can answer agreement_inactive rather than "unknown"), else undefined.
 * Intake verifies every message, so answers (absent ones too) are cached per region for ttlMs;
 * concurrent misses for one region share a single query. Failed look-ups are not cached.
 */
export function createAgreementTrustStore(
  db: Db,
  clock: Clock,
  { ttlMs = 5000, maxEntries = 1000 }: TrustStoreOptions = {},
): AgreementTrustStore {
  const cache = new Map<string, { expires: number; value: Promise<SenderAgreement | undefined> }>()

  const load = async (region: string) => {
    const found = await findPartnerAgreement(db, region)
    return found ? toSenderAgreement(found.row, found.keys) : undefined
  }

  return {
    agreementFor(region) {
      const now = clock.now().getTime()
      const hit = cache.get(region)
      if (hit && hit.expires > now) return hit.value
      const value = load(region)
      cache.delete(region)
      cache.set(region, { expires: now + ttlMs, value })
      value.catch(() => {
        if (cache.get(region)?.value === value) cache.delete(region)
      })
      // Map order is insertion order: the first entry is the least recently loaded.
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string)
      return value
    },
    invalidate(region) {
      if (region === undefined) cache.clear()
      else cache.delete(region)
    },
  }
}
