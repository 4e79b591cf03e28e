import { parseHeaderJson } from './header-json.js'
import {
  ALLOWED_ALGS,
  JTI_PATTERN,
  MAX_HEADER_SEGMENT,
  MAX_KID_LENGTH,
  REFUSED_HEADER_MEMBERS,
  refuse,
} from './policy.js'
import type { SigningAlg } from './types.js'

/**
 * The envelope members after steps 3–6. `typ` and `cty` are still plain strings: they are
 * checked against the endpoint and the agreement only after the signature (the protocol's order).
 */
export interface CheckedHeader {
  alg: SigningAlg
  kid: string
  typ: string
  cty: string
  iss: string
  aud: string
  iat: number
  jti: string
}

const STRING_MEMBERS = ['alg', 'kid', 'typ', 'cty', 'iss', 'aud'] as const
const MALFORMED = 'protected header is not a valid JWS header'

/**
 * Steps 3–6: decode the protected header (bounded), refuse duplicate members, require the
 * envelope members, refuse key-carrying and extension members, and apply the alg allow-list.
 * Duplicate members make it an invalid JWS (RFC 7515 §5.2 step 4), hence payload_malformed.
 */
export function checkHeader(segment: string): CheckedHeader {
  if (segment.length > MAX_HEADER_SEGMENT) {
    throw refuse(
      'payload_malformed',
      `protected header of ${segment.length} chars`,
      'protected header too large',
    )
  }
  // The segment's charset and length were checked by splitCompact, so this decode is exact.
  const parsed = parseHeaderJson(Buffer.from(segment, 'base64url'))
  if (!parsed.ok) throw refuse('payload_malformed', `protected header: ${parsed.reason}`, MALFORMED)
  const header = parsed.value
  // Own members only: an inherited value (a polluted Object.prototype) must not count as present.
  const own = (name: string): unknown => (Object.hasOwn(header, name) ? header[name] : undefined)

  // Step 4: the envelope members, with their types.
  for (const name of STRING_MEMBERS) {
    const value = own(name)
    if (typeof value !== 'string' || value.length === 0) {
      throw refuse(
        'payload_malformed',
        `header ${name} missing or not a string`,
        `header "${name}" is required`,
      )
    }
  }
  const iat = own('iat')
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) {
    throw refuse('payload_malformed', 'header iat not an integer', 'header "iat" must be integer seconds')
  }
  const jti = own('jti')
  if (typeof jti !== 'string' || !JTI_PATTERN.test(jti)) {
    throw refuse('payload_malformed', 'header jti invalid', 'header "jti" must be 1–64 of [A-Za-z0-9._:-]')
  }
  const kid = header.kid as string
  // No registered kid is this long; refusing here means such text never travels further.
  if (kid.length > MAX_KID_LENGTH) throw refuse('unknown_key', `kid of ${kid.length} chars`)

  // Step 5: keys come only from the agreement; no extension is understood.
  for (const name of REFUSED_HEADER_MEMBERS) {
    if (Object.hasOwn(header, name)) throw refuse('signature_invalid', `header member ${name} is refused`)
  }

  // Step 6: exact, case-sensitive allow-list.
  const alg = header.alg as string
  if (!ALLOWED_ALGS.has(alg))
    throw refuse('signature_invalid', `alg ${JSON.stringify(alg.slice(0, 32))} refused`)

  return {
    alg: alg as SigningAlg,
    kid,
    typ: header.typ as string,
    cty: header.cty as string,
    iss: header.iss as string,
    aud: header.aud as string,
    iat,
    jti,
  }
}
