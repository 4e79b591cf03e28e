import { refuse } from './policy.js'

/** The three segments of a JWS in Compact Serialization, still encoded. */
export interface CompactParts {
  /** The whole token as text, handed unchanged to jose. */
  text: string
  header: string
  payload: string
  signature: string
}

/**
 * Three base64url segments, nothing else (no whitespace, no padding, no trailing newline).
 * The signature may be empty so that an `alg: none` token reaches the alg check and is refused
 * as a bad signature rather than as a malformed body. One linear pass, no backtracking.
 */
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

/** `application/jose`, case-insensitive, parameters (charset …) tolerated; `application/jose+json` is not it. */
export function isJoseContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false
  const semi = contentType.indexOf(';')
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
  return type === 'application/jose'
}

/** Splits a compact JWS after checking its shape and charset; decodes nothing. */
export function splitCompact(body: string | Uint8Array): CompactParts {
  // latin1 maps each byte to one char, so a non-ASCII byte stays visible and fails the charset check.
  const text =
    typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1')
  if (!COMPACT.test(text)) {
    throw refuse(
      'payload_malformed',
      'not three base64url segments',
      'body is not a JWS in Compact Serialization',
    )
  }
  const first = text.indexOf('.')
  const second = text.indexOf('.', first + 1)
  const parts: CompactParts = {
    text,
    header: text.slice(0, first),
    payload: text.slice(first + 1, second),
    signature: text.slice(second + 1),
  }
  // A base64url length of 4n+1 encodes no whole byte sequence.
  for (const segment of [parts.header, parts.payload, parts.signature]) {
    if (segment.length % 4 === 1) {
      throw refuse('payload_malformed', 'segment length 4n+1', 'body is not a JWS in Compact Serialization')
    }
  }
  return parts
}

/** Decoded length of an unpadded base64url segment, known without decoding it. */
export function decodedLength(segment: string): number {
  return Math.floor((segment.length * 3) / 4)
}
