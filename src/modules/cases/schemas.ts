import { z } from '@hono/zod-openapi'
import { DELIVERY_METHODS, ID_TYPES, RESULT_OUTCOMES } from '../formats/canonical.js'
import { CASE_STATES } from './lifecycle.js'
import { CLERK_EVENT_TYPES } from './record-clerk-event.js'

const text = (max: number) => z.string().trim().min(1).max(max)

export const CaseQuery = z.object({
  state: z.enum(CASE_STATES).optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  partner: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  item: text(64).optional(),
  department: text(64).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
})

export const CaseNoParam = z.object({
  caseNo: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9-]+$/),
})
export const MaterialParam = CaseNoParam.extend({ id: z.string().min(1).max(64) })

const ApiMaterial = z.object({
  code: text(32),
  name: text(100),
  original: z.boolean(),
  file: z.object({
    name: text(200),
    mediaType: z.string().regex(/^[a-z]+\/[a-z0-9][a-z0-9.+-]{0,100}$/),
    content: z.string().min(1),
  }),
})

export const ClerkEventBody = z
  .object({
    type: z.enum(CLERK_EVENT_TYPES),
    reason: text(1000).optional(),
    correction: z
      .array(z.object({ code: text(32), name: text(100), note: text(500).optional() }))
      .max(50)
      .optional(),
    result: z
      .object({
        outcome: z.enum(RESULT_OUTCOMES),
        documentName: text(100).optional(),
        documentNo: text(100).optional(),
        waybill: z.object({ carrier: text(40), number: text(60) }).optional(),
      })
      .optional(),
    materials: z.array(ApiMaterial).max(50).optional(),
  })
  .openapi('ClerkEvent')

const Party = z.object({
  name: text(100),
  idType: z.enum(ID_TYPES),
  idNumber: text(40),
  mobile: z.string().regex(/^\d{11}$/, '11 digits'),
  address: text(200).optional(),
})

export const OutboundCaseBody = z
  .object({
    partner: z.string().regex(/^\d{6}$/),
    partnerItemCode: text(64),
    applicant: Party.extend({ kind: z.enum(['person', 'org']) }),
    agent: Party.optional(),
    materials: z.array(ApiMaterial).min(1).max(50),
    delivery: z.object({
      method: z.enum(DELIVERY_METHODS),
      recipient: text(100).optional(),
      mobile: z
        .string()
        .regex(/^\d{11}$/)
        .optional(),
      address: text(200).optional(),
    }),
    form: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.string().max(1000)).optional(),
    remark: text(1000).optional(),
    department: text(64).optional(),
  })
  .openapi('OutboundCase')

export const CaseSummarySchema = z
  .object({
    caseNo: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    partner: z.string(),
    partnerCaseNo: z.string().nullable(),
    item: z.object({ code: z.string().nullable(), partnerCode: z.string(), name: z.string() }),
    department: z.string(),
    state: z.string(),
    applicantName: z.string(),
    receivedAt: z.string(),
    promisedDate: z.string().nullable(),
    overdue: z.boolean(),
    workingDaysLeft: z.number().nullable(),
  })
  .openapi('CaseSummary')

export const CasePageSchema = z
  .object({ items: z.array(CaseSummarySchema), nextCursor: z.string().nullable() })
  .openapi('CasePage')

export const CaseDetailSchema = CaseSummarySchema.extend({
  events: z.array(z.record(z.string(), z.unknown())),
  materials: z.array(z.record(z.string(), z.unknown())),
  allowedEvents: z.array(z.string()),
})
  .passthrough()
  .openapi('CaseDetail')
