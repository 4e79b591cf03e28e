/**
 * The canonical case model: what every partner format is parsed into and rendered from.
 * Field names follow gateway-api-v1.md ("Canonical shapes"); code values are the canonical
 * column of exchange-protocol-v1.md's shared code lists.
 *
 * Times are ISO 8601 strings normalised to Beijing time with an explicit offset
 * (`2026-11-28T09:30:00+08:00`, milliseconds only when not zero); dates are `YYYY-MM-DD`.
 */
import type { FieldError } from '../../lib/errors.js'

export const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'uscc'] as const
export type IdType = (typeof ID_TYPES)[number]

export const MODES = ['online', 'proxy', 'joint'] as const
export type Mode = (typeof MODES)[number]

export const DELIVERY_METHODS = ['window', 'mail', 'online'] as const
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number]

export const RESULT_OUTCOMES = ['approved', 'denied', 'voided', 'transferred'] as const
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number]

export const EVENT_TYPES = [
  'received',
  'accepted',
  'rejected',
  'correction_requested',
  'correction_submitted',
  'in_process',
  'suspended',
  'resumed',
  'concluded',
  'delivered',
  'withdrawn',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export interface Party {
  name: string
  idType: IdType
  idNumber: string
  mobile: string
  address?: string
}

export interface Applicant extends Party {
  kind: 'person' | 'org'
}

export interface MaterialFile {
  name: string
  mediaType: string
  /** Decoded byte count, checked against the content. */
  size: number
  /** Lower-case hex SHA-256 of the decoded bytes, checked against the content. */
  sha256: string
  /** Standard base64 of the file. */
  content: string
}

export interface Material {
  code: string
  name: string
  /** A paper original follows by post. */
  original: boolean
  file: MaterialFile
}

export interface Delivery {
  method: DeliveryMethod
  /** recipient, mobile and address are required for `mail`. */
  recipient?: string
  mobile?: string
  address?: string
}

/** A delegated case as the originator sent it (`typ: kytb-case`). */
export interface CanonicalCase {
  /** The originator's case number, 1–40 of [A-Za-z0-9-]. */
  caseNo: string
  /** The item code exactly as written in the document; the agreement gives it meaning. */
  itemCode: string
  itemName: string
  mode: Mode
  receivedAt: string
  window: { code?: string; name: string }
  clerk: { name: string; id?: string }
  applicant: Applicant
  agent?: Party
  form?: Record<string, string>
  materials: Material[]
  delivery: Delivery
  remark?: string
}

export interface CorrectionItem {
  code: string
  name: string
  note?: string
}

export interface CaseResult {
  outcome: ResultOutcome
  documentName?: string
  documentNo?: string
  waybill?: { carrier: string; number: string }
}

/** One status event of a case (`typ: kytb-status`). */
export interface CanonicalStatus {
  /** The ORIGINATOR's case number. */
  caseNo: string
  /** The handler's case number; optional in an originator's event. */
  peerCaseNo?: string
  seq: number
  type: EventType
  occurredAt: string
  handler?: { dept?: string; name?: string }
  /** Reason or opinion; required where the event needs one. */
  reason?: string
  /** 承诺办结日期, `YYYY-MM-DD`; with `accepted` only. */
  promisedDate?: string
  correction?: CorrectionItem[]
  materials?: Material[]
  result?: CaseResult
}

/** Outcome of parsing partner bytes: the canonical value, or located errors in the partner's terms. */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: 'payload_malformed' | 'payload_invalid'; errors: FieldError[] }

export interface PartnerFormat {
  /** The agreement's `format` value, e.g. `conghua-xml-v1`. */
  id: string
  /** The JWS `cty` header this format travels with. */
  cty: 'xml' | 'json'
  parseCase(bytes: Uint8Array): ParseResult<CanonicalCase>
  parseStatus(bytes: Uint8Array): ParseResult<CanonicalStatus>
  renderCase(value: CanonicalCase): Uint8Array
  renderStatus(value: CanonicalStatus): Uint8Array
}
