export const AGREEMENT_STATUSES = ['draft', 'active', 'suspended', 'terminated'] as const
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number]

/**
 * Allowed status moves: draft → active | terminated; active ⇄ suspended; anything but
 * terminated → terminated (final). Kept as data so the console offers exactly what the service accepts.
 */
export const AGREEMENT_STATUS_MOVES: Record<AgreementStatus, readonly AgreementStatus[]> = {
  draft: ['active', 'terminated'],
  active: ['suspended', 'terminated'],
  suspended: ['active', 'terminated'],
  terminated: [],
}

/** The verbs of the API (`POST /v1/agreements/{id}/<action>`) and the status each leads to. */
export const STATUS_ACTIONS = {
  activate: { to: 'active', change: 'activated' },
  suspend: { to: 'suspended', change: 'suspended' },
  terminate: { to: 'terminated', change: 'terminated' },
} as const satisfies Record<string, { to: AgreementStatus; change: AgreementChange }>
export type StatusAction = keyof typeof STATUS_ACTIONS

/** What a row of agreement_versions records; also the audit action `agreement.<change>`. */
export type AgreementChange = 'created' | 'activated' | 'suspended' | 'terminated' | 'keys_replaced'

export const KEY_ALGS = ['ES256', 'EdDSA'] as const
export type KeyAlg = (typeof KEY_ALGS)[number]

export const DEFAULT_MAX_PAYLOAD_BYTES = 20 * 1024 * 1024
export const MIN_PAYLOAD_BYTES = 1024
export const MAX_PAYLOAD_BYTES = 50 * 1024 * 1024
export const MAX_KEYS = 10

/** A partner's public key as the API shows it (and as stored): only these members are kept. */
export interface PublicJwk {
  kty: 'EC' | 'OKP'
  crv: 'P-256' | 'Ed25519'
  x: string
  y?: string | undefined
  kid: string
  alg: KeyAlg
  use?: 'sig' | undefined
  /** NumericDate seconds: the key's own validity window (rotation) */
  nbf?: number | undefined
  exp?: number | undefined
}

/** A key after validation, ready to store. */
export interface PartnerKey {
  kid: string
  alg: KeyAlg
  jwk: PublicJwk
  notBefore: Date | null
  notAfter: Date | null
}

export type AgreementItem =
  | { direction: 'inbound'; itemCode: string; partnerItemCode: string }
  | { direction: 'outbound'; partnerItemCode: string; name: string; promisedDays: number }

/** An agreement as gateway-api-v1.md shows it; also the snapshot kept for each version. */
export interface Agreement {
  id: string
  partner: { region: string; name: string }
  format: string
  endpoint: string
  status: AgreementStatus
  validFrom: string
  validUntil: string
  maxPayloadBytes: number
  version: number
  keys: { keys: PublicJwk[] }
  items: AgreementItem[]
  createdAt: string
  updatedAt: string
}

export interface AgreementVersionSummary {
  version: number
  change: string
  changedBy: string
  changedAt: string
}

export interface AgreementVersion extends AgreementVersionSummary {
  snapshot: Agreement
}

/** A validated new agreement, before it has an id. */
export interface NewAgreement {
  partner: { region: string; name: string }
  format: string
  endpoint: string
  validFrom: string
  validUntil: string
  maxPayloadBytes: number
  keys: PartnerKey[]
  items: AgreementItem[]
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Ids are lower-case UUIDs; anything else names no agreement (404, never a database error). */
export function agreementIdOf(raw: string): string | undefined {
  const id = raw.toLowerCase()
  return UUID.test(id) ? id : undefined
}
