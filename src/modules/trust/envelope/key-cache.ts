import { type CryptoKey, importJWK, type JWK } from 'jose'
import { AppError } from '../../../lib/errors.js'
import type { SenderKey } from './types.js'

/** Imported verification keys, because importJWK costs about as much as a verification. */
export interface KeyCache {
  get(agreementId: string, key: SenderKey): Promise<CryptoKey>
}

/** Only the public members, checked against the key's alg, so a registry mistake cannot widen what verifies. */
function publicJwk(key: SenderKey): JWK {
  const { kty, crv, x, y } = key.jwk
  if (key.alg === 'ES256' && kty === 'EC' && crv === 'P-256' && x && y) return { kty, crv, x, y }
  if (key.alg === 'EdDSA' && kty === 'OKP' && crv === 'Ed25519' && x) return { kty, crv, x }
  throw new Error(`key ${key.kid} (${key.alg}) has an unusable JWK (kty ${kty}, crv ${crv})`)
}

/**
 * A small LRU of import promises. The cache key holds the agreement id, kid, alg and the public
 * key material itself, so a key replaced under the same kid is re-imported, never confused.
 * A failed import is not cached; it is a fault in our own agreement data, so it is a 500 (the
 * sender retries) rather than a refusal the partner could do nothing about.
 */
export function createKeyCache(maxEntries = 256): KeyCache {
  const entries = new Map<string, Promise<CryptoKey>>()
  return {
    get(agreementId, key) {
      const { kty, crv, x, y } = key.jwk
      const id = `${agreementId}\n${key.kid}\n${key.alg}\n${kty}.${crv}.${x}.${y ?? ''}`
      const hit = entries.get(id)
      if (hit !== undefined) {
        entries.delete(id)
        entries.set(id, hit)
        return hit
      }
      const imported = (async () => importJWK(publicJwk(key), key.alg) as Promise<CryptoKey>)().catch(
        (cause) => {
          entries.delete(id)
          throw new AppError('internal_error', undefined, {
            cause,
            internal: `agreement ${agreementId} key ${key.kid} cannot be imported`,
          })
        },
      )
      entries.set(id, imported)
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string)
      return imported
    },
  }
}

/** The process-wide cache used when the caller passes none. */
export const defaultKeyCache: KeyCache = createKeyCache()
