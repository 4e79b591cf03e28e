import type { JWK } from 'jose'

/** The four message types of exchange-protocol-v1 ("The signed message", `typ`). */
export type MessageTyp = 'kytb-case' | 'kytb-status' | 'kytb-receipt' | 'kytb-query'

/** The only signature algorithms the protocol allows; everything else, `none` included, is refused. */
export type SigningAlg = 'ES256' | 'EdDSA'

/** Payload format of a message (`cty`). */
export type ContentKind = 'xml' | 'json'

/** One public signing key of a partner, as registered in the agreement (never from a header). */
export interface SenderKey {
  kid: string
  /** Public JWK. Only the public members are ever imported, so a stray `d` is harmless. */
  jwk: JWK
  alg: SigningAlg
  /** Rotation window of this key: it verifies only while notBefore ≤ now < notAfter. */
  notBefore?: Date
  notAfter?: Date
}

/** The part of a 互认互信协议 that message verification needs. */
export interface SenderAgreement {
  id: string
  partnerRegion: string
  status: 'draft' | 'active' | 'suspended' | 'terminated'
  /** First and last valid day (inclusive), Beijing calendar, YYYY-MM-DD. */
  validFrom: string
  validUntil: string
  format: string
  cty: ContentKind
  maxPayloadBytes: number
  keys: SenderKey[]
}

/**
 * Where verification finds a partner's agreement. The caller owns caching and the database;
 * it is only ever called with a 6-digit region code (never with a `kid` or other header text).
 */
export interface TrustStore {
  agreementFor(region: string): Promise<SenderAgreement | undefined>
}

/** The envelope members of a verified message; unknown header members are not carried over. */
export interface ProtectedHeader {
  alg: SigningAlg
  kid: string
  typ: MessageTyp
  cty: ContentKind
  iss: string
  aud: string
  iat: number
  jti: string
}

export interface VerifiedMessage {
  /** Region code of the sender (`iss`). */
  sender: string
  agreement: SenderAgreement
  header: ProtectedHeader
  /** The payload bytes, exactly as signed. */
  payload: Uint8Array
  /** base64url (no padding) of SHA-256 over `payload`: what receipts and replay checks compare. */
  digest: string
}
