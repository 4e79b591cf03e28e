import { AppError } from '../../lib/errors.js'
import type { TrustStore } from '../trust/envelope/index.js'

/** Base64url of n bytes, plus the header and signature segments. */
const bodyLimitFor = (maxPayloadBytes: number, headerLength: number) =>
  Math.ceil((maxPayloadBytes * 4) / 3) + headerLength + 512

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `The message is larger than the agreed ${limit} bytes`)
}

/**
 * Reads a compact JWS body without ever holding more than the sender may send. The global cap
 * applies first (Content-Length, then counted bytes for chunked bodies); as soon as the header
 * segment has arrived, the sender's own agreement limit tightens it, so an oversized body is
 * refused after a few kilobytes, not after it has all been read.
 *
 * The bytes go into one buffer (of the declared length once the header has been checked, else
 * grown by doubling) and are decoded to text once at the end: appending each chunk's text to a
 * string made a rope that the first regular expression flattened, two copies of a big body.
 */
export async function readJoseBody(
  req: Request,
  opts: { hardCap: number; trust: TrustStore },
): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? Number.NaN)
  let limit = opts.hardCap
  if (declared > limit) throw tooLarge(limit)
  if (!req.body) return ''

  const reader = req.body.getReader()
  let buffer = Buffer.allocUnsafe(FIRST_BUFFER_BYTES)
  let received = 0
  let headerSeen = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (received + value.byteLength > limit) throw tooLarge(limit)
      if (received + value.byteLength > buffer.length) {
        // Grown only once the header has set the limit, so a declared size is never allocated
        // for a sender that has not yet said who it is.
        const wanted =
          headerSeen && declared >= received + value.byteLength
            ? declared
            : Math.max(buffer.length * 2, received + value.byteLength)
        const grown = Buffer.allocUnsafe(Math.min(wanted, limit))
        buffer.copy(grown, 0, 0, received)
        buffer = grown
      }
      buffer.set(value, received)
      received += value.byteLength
      if (!headerSeen) {
        const dot = buffer.subarray(0, received).indexOf(DOT)
        if (dot >= 0 || received > 8192) {
          headerSeen = true
          const header = dot > 0 ? buffer.toString('latin1', 0, dot) : ''
          limit = Math.min(limit, await senderLimit(header, opts.trust, limit))
          if (declared > limit || received > limit) throw tooLarge(limit)
        }
      }
    }
    // Non-fatal UTF-8, as before: anything not ASCII is then refused by the compact-JWS check.
    return new TextDecoder('utf-8', { fatal: false }).decode(buffer.subarray(0, received))
  } finally {
    reader.cancel().catch(() => {})
  }
}

const DOT = 0x2e
const FIRST_BUFFER_BYTES = 64 * 1024

/** The sender's agreed limit, read from an untrusted header only to refuse early, never to accept. */
async function senderLimit(headerSegment: string, trust: TrustStore, fallback: number): Promise<number> {
  try {
    if (headerSegment.length === 0 || headerSegment.length > 4096) return fallback
    const header = JSON.parse(Buffer.from(headerSegment, 'base64url').toString('utf8')) as { iss?: unknown }
    if (typeof header.iss !== 'string' || !/^\d{6}$/.test(header.iss)) return fallback
    const agreement = await trust.agreementFor(header.iss)
    return agreement ? bodyLimitFor(agreement.maxPayloadBytes, headerSegment.length) : fallback
  } catch {
    return fallback
  }
}
