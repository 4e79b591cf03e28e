import { importJWK } from 'jose'
import type { FieldError } from '../../lib/errors.js'
import { KEY_ALGS, type KeyAlg, MAX_KEYS, type PartnerKey, type PublicJwk } from './model.js'

/** Members that only a private (or symmetric) key has: their presence means a secret was sent. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'] as const
/** Same alphabet and length as a jti (exchange-protocol-v1), so a kid is safe in logs and headers. */
const KID = /^[A-Za-z0-9._:-]{1,64}$/
/** 32 bytes in base64url without padding: a P-256 coordinate or an Ed25519 public key. */
const COORDINATE = /^[A-Za-z0-9_-]{43}$/
/** The one key type and curve each protocol algorithm may use. */
const SUITES: Record<KeyAlg, { kty: string; crv: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
}
/** 9999-12-31T23:59:59Z: a bound so a NumericDate always makes a valid Date. */
const MAX_NUMERIC_DATE = 253_402_300_799

export interface JwksCheck {
  keys: PartnerKey[]
  errors: FieldError[]
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Checks a partner's JWKS when it is registered, so a bad key is refused at the desk rather than
 * at the first message. `at` is the JSON Pointer of the JWKS in the request body. See README.md.
 */
export async function validateJwks(jwks: unknown, at: string): Promise<JwksCheck> {
  const errors: FieldError[] = []
  const fail = (location: string, code: string, message: string) => errors.push({ location, code, message })
  if (!isRecord(jwks) || !Array.isArray(jwks.keys)) {
    fail(at || '/', 'invalid_jwks', 'expected a JWKS: { "keys": [ … ] }')
    return { keys: [], errors }
  }
  const list: unknown[] = jwks.keys
  if (list.length < 1 || list.length > MAX_KEYS) {
    fail(`${at}/keys`, list.length < 1 ? 'too_small' : 'too_big', `expected 1 to ${MAX_KEYS} keys`)
    return { keys: [], errors }
  }
  const keys: PartnerKey[] = []
  const seenKids = new Set<string>()
  for (const [i, raw] of list.entries()) {
    const here = `${at}/keys/${i}`
    const before = errors.length
    const key = checkKey(raw, here, fail)
    if (key && seenKids.has(key.kid)) fail(`${here}/kid`, 'duplicate_kid', `kid ${key.kid} appears twice`)
    if (key) seenKids.add(key.kid)
    if (!key || errors.length > before) continue
    // The decisive test: bad coordinates (not a point on the curve, wrong length) do not import.
    try {
      await importJWK({ kty: key.jwk.kty, crv: key.jwk.crv, x: key.jwk.x, y: key.jwk.y }, key.alg)
      keys.push(key)
    } catch {
      fail(here, 'unimportable_key', 'the key does not import: its coordinates are not a valid public key')
    }
  }
  return { keys, errors }
}

type Fail = (location: string, code: string, message: string) => void

/** One key's members; returns undefined when it cannot even be read as a key. */
function checkKey(raw: unknown, here: string, fail: Fail): PartnerKey | undefined {
  if (!isRecord(raw)) {
    fail(here, 'invalid_key', 'expected a JWK object')
    return undefined
  }
  for (const m of PRIVATE_MEMBERS) {
    if (Object.hasOwn(raw, m))
      fail(`${here}/${m}`, 'private_key', `private key member "${m}": send the public key only`)
  }
  const { kty, crv, alg, kid, x, y, use } = raw
  let suiteOk = true
  if (kty !== 'EC' && kty !== 'OKP') {
    fail(`${here}/kty`, 'unsupported_key', `kty ${String(kty)} is not allowed: only EC P-256 or OKP Ed25519`)
    suiteOk = false
  } else if ((kty === 'EC' && crv !== 'P-256') || (kty === 'OKP' && crv !== 'Ed25519')) {
    fail(`${here}/crv`, 'unsupported_curve', `curve ${String(crv)} is not allowed: only P-256 or Ed25519`)
    suiteOk = false
  }
  if (alg === undefined) {
    fail(`${here}/alg`, 'required', 'alg is required: ES256 or EdDSA')
  } else if (!KEY_ALGS.includes(alg as KeyAlg)) {
    fail(`${here}/alg`, 'unsupported_alg', `alg ${String(alg)} is not allowed: only ES256 or EdDSA`)
  } else if (suiteOk && SUITES[alg as KeyAlg].kty !== kty) {
    fail(`${here}/alg`, 'alg_mismatch', `alg ${String(alg)} does not fit a ${String(kty)} ${String(crv)} key`)
  }
  if (kid === undefined) fail(`${here}/kid`, 'required', 'kid is required')
  else if (typeof kid !== 'string' || !KID.test(kid)) {
    fail(`${here}/kid`, 'invalid_kid', 'kid must be 1–64 characters of A–Z a–z 0–9 . _ : -')
  }
  if (typeof x !== 'string' || !COORDINATE.test(x)) {
    fail(`${here}/x`, 'invalid_coordinate', 'x must be 32 bytes in base64url without padding')
  }
  if (kty === 'EC' && (typeof y !== 'string' || !COORDINATE.test(y))) {
    fail(`${here}/y`, 'invalid_coordinate', 'y must be 32 bytes in base64url without padding')
  }
  if (use !== undefined && use !== 'sig') fail(`${here}/use`, 'invalid_use', 'a signing key has use "sig"')
  const ops = raw.key_ops
  if (ops !== undefined && !(Array.isArray(ops) && ops.every((o) => o === 'verify'))) {
    fail(`${here}/key_ops`, 'invalid_key_ops', 'a partner public key may only "verify"')
  }
  const nbf = numericDate(raw, 'nbf', here, fail)
  const exp = numericDate(raw, 'exp', here, fail)
  if (nbf !== undefined && exp !== undefined && exp <= nbf) {
    fail(`${here}/exp`, 'invalid_window', 'exp must be later than nbf')
  }
  if (typeof kid !== 'string' || typeof x !== 'string') return undefined
  // Only the public members are kept; anything else (x5c, ext, …) is neither stored nor trusted.
  const jwk: PublicJwk = {
    kty: kty as PublicJwk['kty'],
    crv: crv as PublicJwk['crv'],
    x,
    ...(kty === 'EC' && typeof y === 'string' ? { y } : {}),
    kid,
    alg: alg as KeyAlg,
    ...(use === 'sig' ? { use } : {}),
    ...(nbf !== undefined ? { nbf } : {}),
    ...(exp !== undefined ? { exp } : {}),
  }
  return {
    kid,
    alg: alg as KeyAlg,
    jwk,
    notBefore: nbf === undefined ? null : new Date(nbf * 1000),
    notAfter: exp === undefined ? null : new Date(exp * 1000),
  }
}

/** An optional NumericDate member (RFC 7519: seconds since the epoch), whole seconds here. */
function numericDate(raw: Record<string, unknown>, name: 'nbf' | 'exp', here: string, fail: Fail) {
  const v = raw[name]
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_NUMERIC_DATE) {
    fail(
      `${here}/${name}`,
      'invalid_numeric_date',
      `${name} must be whole seconds since 1970-01-01T00:00:00Z`,
    )
    return undefined
  }
  return v
}
