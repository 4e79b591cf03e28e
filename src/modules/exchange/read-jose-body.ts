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
 */
export async function readJoseBody(
  req: Request,
  opts: { hardCap: number; trust: TrustStore },
): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? Number.NaN)
  let limit = opts.hardCap
  if (declared > limit) throw tooLarge(limit)
  if (!req.body) return ''

  const decoder = new TextDecoder('utf-8', { fatal: false })
  const reader = req.body.getReader()
  let text = ''
  let received = 0
  let headerSeen = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      received += value.byteLength
      if (received > limit) throw tooLarge(limit)
      text += decoder.decode(value, { stream: true })
      if (!headerSeen) {
        const dot = text.indexOf('.')
        if (dot >= 0 || text.length > 8192) {
          headerSeen = true
          limit = Math.min(limit, await senderLimit(text.slice(0, Math.max(dot, 0)), opts.trust, limit))
          if (declared > limit || received > limit) throw tooLarge(limit)
        }
      }
    }
    return text + decoder.decode()
  } finally {
    reader.cancel().catch(() => {})
  }
}

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
