import { z } from '@hono/zod-openapi'
import {
  AGREEMENT_STATUSES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  KEY_ALGS,
  MAX_PAYLOAD_BYTES,
  MIN_PAYLOAD_BYTES,
} from './model.js'

// ---- request bodies: the shape; validate-agreement.ts adds what needs context or the database

const region = z.string().regex(/^\d{6}$/, 'a 6-digit region code')
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
/** What the partner formats accept as an item code (conghua-xml-v1 ItemCode, longmen-json-v1 sxbm). */
const partnerItemCode = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '1–64 letters, digits, . _ -')

/** Members are checked one by one in validate-jwks.ts, so a private member is reported, not stripped. */
export const JwksBody = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())) })
  .openapi('PartnerJwksInput', {
    description: 'the partner’s public signing keys (1–10): EC P-256/ES256 or OKP Ed25519/EdDSA',
  })

const InboundItemBody = z.object({
  direction: z.literal('inbound'),
  itemCode: z.string().min(1).max(64),
  /** defaults to the item's national basic code */
  partnerItemCode: partnerItemCode.optional(),
})

const OutboundItemBody = z.object({
  direction: z.literal('outbound'),
  partnerItemCode,
  name: z.string().trim().min(1, 'required').max(200),
  promisedDays: z.number().int().min(1).max(365),
})

export const AgreementBody = z
  .object({
    partner: z.object({ region, name: z.string().trim().min(1, 'required').max(100) }),
    format: z.string().min(1).max(64),
    endpoint: z.string().min(1).max(2048),
    keys: JwksBody,
    validFrom: day,
    validUntil: day,
    items: z
      .array(z.discriminatedUnion('direction', [InboundItemBody, OutboundItemBody]))
      .max(5000)
      .default([]),
    maxPayloadBytes: z
      .number()
      .int()
      .min(MIN_PAYLOAD_BYTES)
      .max(MAX_PAYLOAD_BYTES)
      .default(DEFAULT_MAX_PAYLOAD_BYTES),
  })
  .openapi('AgreementInput')

export type AgreementBodyInput = z.input<typeof AgreementBody>

/** Any text: a malformed id is simply not found (404), like an unknown one. */
export const AgreementIdParam = z.object({ id: z.string() })

export const AgreementQuery = z.object({
  partner: region.optional(),
  status: z.enum(AGREEMENT_STATUSES).optional(),
})

// ---- responses

export const PublicJwkSchema = z
  .object({
    kty: z.enum(['EC', 'OKP']),
    crv: z.enum(['P-256', 'Ed25519']),
    x: z.string(),
    y: z.string().optional(),
    kid: z.string(),
    alg: z.enum(KEY_ALGS),
    use: z.literal('sig').optional(),
    nbf: z.number().optional(),
    exp: z.number().optional(),
  })
  .openapi('PartnerJwk')

const AgreementItemSchema = z
  .discriminatedUnion('direction', [
    z.object({ direction: z.literal('inbound'), itemCode: z.string(), partnerItemCode: z.string() }),
    z.object({
      direction: z.literal('outbound'),
      partnerItemCode: z.string(),
      name: z.string(),
      promisedDays: z.number().int(),
    }),
  ])
  .openapi('AgreementItem')

export const AgreementSchema = z
  .object({
    id: z.string(),
    partner: z.object({ region: z.string(), name: z.string() }),
    format: z.string(),
    endpoint: z.string(),
    status: z.enum(AGREEMENT_STATUSES),
    validFrom: z.string(),
    validUntil: z.string(),
    maxPayloadBytes: z.number().int(),
    version: z.number().int(),
    keys: z.object({ keys: z.array(PublicJwkSchema) }),
    items: z.array(AgreementItemSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Agreement')

const VersionSummarySchema = z.object({
  version: z.number().int(),
  change: z.string(),
  changedBy: z.string(),
  changedAt: z.string(),
})

export const AgreementDetailSchema = AgreementSchema.extend({
  versions: z.array(VersionSummarySchema),
}).openapi('AgreementDetail')

export const AgreementListSchema = z.object({ items: z.array(AgreementSchema) }).openapi('AgreementList')

export const AgreementVersionListSchema = z
  .object({ items: z.array(VersionSummarySchema.extend({ snapshot: AgreementSchema })) })
  .openapi('AgreementVersionList')
