import { beijingTimestamp } from '../../../lib/clock.js'
import { AppError, isAppError } from '../../../lib/errors.js'
import { parseStrictJson } from '../../../lib/strict-json.js'
import type { KeyCache } from './key-cache.js'
import { refuse } from './policy.js'
import type { ProtectedHeader, SenderAgreement } from './types.js'
import { verifyEnvelope } from './verify.js'

/** The receipt payload of exchange-protocol-v1 ("Receipts"), in its key order. */
export interface Receipt {
  ref: string
  digest: string
  receivedAt: string
  outcome: 'accepted' | 'duplicate'
  caseNo: string
}

export interface MakeReceiptInput {
  ref: string
  digest: string
  receivedAt: Date
  outcome: Receipt['outcome']
  caseNo: string
}

/** The receipt's JSON bytes, ready to sign with `typ: kytb-receipt`, `cty: json`. */
export function makeReceipt(input: MakeReceiptInput): Uint8Array {
  const receipt: Receipt = {
    ref: input.ref,
    digest: input.digest,
    receivedAt: beijingTimestamp(input.receivedAt),
    outcome: input.outcome,
    caseNo: input.caseNo,
  }
  return Buffer.from(JSON.stringify(receipt), 'utf8')
}

export interface VerifyReceiptOptions {
  partnerAgreement: SenderAgreement
  /** The jti of the message we sent, and the digest of its payload. */
  expectedRef: string
  expectedDigest: string
  ownRegion: string
  now: Date
  keyCache?: KeyCache
}

export interface VerifiedReceipt {
  receipt: Receipt
  header: ProtectedHeader
}

/** A receipt is a few hundred bytes; nothing larger is decoded. */
const MAX_RECEIPT_BYTES = 4096
const RECEIPT_KEYS = ['ref', 'digest', 'receivedAt', 'outcome', 'caseNo']
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/**
 * Sender side: checks a partner's receipt for a message we delivered, with the same envelope
 * rules as an inbound message (issued by that partner to us, key from its agreement, ±300 s),
 * then its payload. Any envelope failure is signature_invalid and any payload failure is
 * payload_invalid, with the reason in `internal`: either way the delivery counts as failed.
 */
export async function verifyReceipt(jws: string, opts: VerifyReceiptOptions): Promise<VerifiedReceipt> {
  const partner = opts.partnerAgreement
  let verified: Awaited<ReturnType<typeof verifyEnvelope>>
  try {
    verified = await verifyEnvelope(jws, {
      expectedTyp: 'kytb-receipt',
      expectedCty: 'json',
      maxPayloadBytes: MAX_RECEIPT_BYTES,
      now: opts.now,
      ownRegion: opts.ownRegion,
      // Only this partner can have issued it: any other iss finds no agreement.
      trust: { agreementFor: async (region) => (region === partner.partnerRegion ? partner : undefined) },
      keyCache: opts.keyCache,
    })
  } catch (e) {
    // Our own key-data faults stay 500s; everything else means "this is not a valid receipt".
    if (isAppError(e) && e.code === 'internal_error') throw e
    const why = isAppError(e) ? `${e.code}: ${e.internal ?? e.message}` : String(e)
    throw new AppError('signature_invalid', 'receipt does not verify', {
      cause: e,
      internal: `receipt: ${why}`,
    })
  }
  const receipt = parseReceipt(verified.payload)
  if (receipt.ref !== opts.expectedRef) {
    throw refuse(
      'payload_invalid',
      `receipt ref ${receipt.ref} is not ${opts.expectedRef}`,
      'receipt ref mismatch',
    )
  }
  if (receipt.digest !== opts.expectedDigest) {
    throw refuse(
      'payload_invalid',
      `receipt digest ${receipt.digest} is not ${opts.expectedDigest}`,
      'receipt digest mismatch',
    )
  }
  return { receipt, header: verified.header }
}

/** Exactly the five members with their types; duplicates and extra members are refused. */
export function parseReceipt(bytes: Uint8Array): Receipt {
  const parsed = parseStrictJson(bytes, { maxDepth: 2, maxNodes: 16 })
  const bad = (why: string) => refuse('payload_invalid', `receipt payload: ${why}`, 'receipt payload invalid')
  if (!parsed.ok) throw bad(parsed.errors.map((e) => `${e.location} ${e.message}`).join('; '))
  const v = parsed.value
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('not an object')
  const r = v as Record<string, unknown>
  const keys = Object.keys(r)
  if (keys.length !== RECEIPT_KEYS.length || !RECEIPT_KEYS.every((k) => Object.hasOwn(r, k))) {
    throw bad(`members ${keys.join(',')}`)
  }
  const { ref, digest, receivedAt, outcome, caseNo } = r
  for (const [name, value] of Object.entries({ ref, digest, receivedAt, caseNo })) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 128)
      throw bad(`${name} not a string`)
  }
  if (!TIMESTAMP.test(receivedAt as string) || Number.isNaN(Date.parse(receivedAt as string))) {
    throw bad('receivedAt not an RFC 3339 timestamp')
  }
  if (outcome !== 'accepted' && outcome !== 'duplicate') throw bad(`outcome ${String(outcome)}`)
  return {
    ref: ref as string,
    digest: digest as string,
    receivedAt: receivedAt as string,
    outcome,
    caseNo: caseNo as string,
  }
}
