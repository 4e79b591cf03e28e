import { parseStrictJson } from '../../../lib/strict-json.js'
import type { KeyCache } from './key-cache.js'
import { refuse } from './policy.js'
import type { ProtectedHeader, SenderAgreement, TrustStore } from './types.js'
import { verifyEnvelope } from './verify.js'

export interface VerifyQueryTokenOptions {
  /** The `{caseNo}` of the request path. */
  expectedCaseNo: string
  now: Date
  ownRegion: string
  trust: TrustStore
  keyCache?: KeyCache
}

export interface VerifiedQuery {
  sender: string
  agreement: SenderAgreement
  header: ProtectedHeader
  caseNo: string
  /** Single use is the caller's job: record (sender, jti) in the replay store before answering. */
  jti: string
}

/** `{"caseNo": "…"}` and the bearer token around it are tiny; a 1 KB payload is already generous. */
const MAX_QUERY_PAYLOAD = 1024
const BEARER = /^Bearer +([A-Za-z0-9._-]+) *$/i

/**
 * `GET {base}/cases/{caseNo}`: the Authorization header carries a kytb-query JWS. It is checked
 * with the same envelope rules as a message (cty json whatever the agreement's format). A missing
 * or non-Bearer header, or a token made for another case, is 401 signature_invalid: no valid
 * signature authorises this request. A token whose payload is not the expected JSON is 400.
 */
export async function verifyQueryToken(
  authorization: string | undefined,
  opts: VerifyQueryTokenOptions,
): Promise<VerifiedQuery> {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1]
  if (token === undefined) throw refuse('signature_invalid', 'no Bearer token in Authorization')
  const verified = await verifyEnvelope(token, {
    expectedTyp: 'kytb-query',
    expectedCty: 'json',
    maxPayloadBytes: MAX_QUERY_PAYLOAD,
    now: opts.now,
    ownRegion: opts.ownRegion,
    trust: opts.trust,
    keyCache: opts.keyCache,
  })
  const parsed = parseStrictJson(verified.payload, { maxDepth: 1, maxNodes: 4 })
  const value = parsed.ok ? parsed.value : undefined
  const members = typeof value === 'object' && value !== null ? Object.keys(value) : []
  const caseNo = (value as { caseNo?: unknown } | undefined)?.caseNo
  if (members.length !== 1 || typeof caseNo !== 'string') {
    throw refuse(
      'payload_malformed',
      'query payload is not {"caseNo": string}',
      'payload must be {"caseNo": "…"}',
    )
  }
  if (caseNo !== opts.expectedCaseNo) {
    throw refuse(
      'signature_invalid',
      `query token for case ${caseNo.slice(0, 64)}, path ${opts.expectedCaseNo}`,
    )
  }
  return {
    sender: verified.sender,
    agreement: verified.agreement,
    header: verified.header,
    caseNo,
    jti: verified.header.jti,
  }
}
