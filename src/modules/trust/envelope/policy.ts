import { AppError, type ErrorCode } from '../../../lib/errors.js'
import type { MessageTyp, SigningAlg } from './types.js'

/** The allow-list of exchange-protocol-v1; compared case-sensitively (`None`, `NONE` are refused). */
export const ALLOWED_ALGS: ReadonlySet<string> = new Set<SigningAlg>(['ES256', 'EdDSA'])

export const MESSAGE_TYPS: ReadonlySet<string> = new Set<MessageTyp>([
  'kytb-case',
  'kytb-status',
  'kytb-receipt',
  'kytb-query',
])

/**
 * Header members that are refused outright. `jku`/`x5u`/`jwk`/`x5c` would let the sender name
 * its own key; keys come only from the agreement, and refusing (rather than ignoring) makes a
 * misbehaving partner visible. `crit` and `b64` are refused by the protocol.
 */
export const REFUSED_HEADER_MEMBERS = ['crit', 'b64', 'jku', 'x5u', 'jwk', 'x5c'] as const

/** A real header is ~250 characters; 4 KB encoded leaves room without letting junk through. */
export const MAX_HEADER_SEGMENT = 4096
/** Longer kids cannot be registered, so they are refused before any lookup. */
export const MAX_KID_LENGTH = 128
/** `|now − iat| ≤ 300 s`. */
export const IAT_WINDOW_MS = 300_000

export const JTI_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/
export const REGION_PATTERN = /^\d{6}$/

/**
 * A refusal: `internal` is logged, never sent; `detail` goes to the partner, so it is only given
 * where it helps them fix their message without telling an attacker anything (never for keys,
 * signatures or agreements).
 */
export function refuse(code: ErrorCode, internal: string, detail?: string, cause?: unknown): AppError {
  return new AppError(code, detail, { internal, cause })
}
