import { z } from '@hono/zod-openapi'

const region = z.string().regex(/^\d{6}$/, 'a 6-digit region code')

export const DeadLetterQuery = z.object({
  partner: region.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})

export const PartnerQuery = z.object({ partner: region })

/** Outbox ids are UUIDs; anything else cannot name a row and is answered 404 like an unknown one. */
export const OutboxIdParam = z.object({ id: z.string().min(1).max(64) })

export const DeadLetterSchema = z
  .object({
    id: z.string(),
    partner: z.string(),
    caseNo: z.string().nullable(),
    caseSeq: z.number().int().nullable(),
    typ: z.string(),
    jti: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    resentAt: z.string().nullable(),
  })
  .openapi('DeadLetter')

export const DeadLetterListSchema = z.object({ items: z.array(DeadLetterSchema) }).openapi('DeadLetterList')

export const ResentSchema = z
  .object({
    id: z.string(),
    partner: z.string(),
    jti: z.string(),
    status: z.literal('pending'),
    nextAttemptAt: z.string(),
  })
  .openapi('ResentMessage')

export const ResentPartnerSchema = z
  .object({ partner: z.string(), resent: z.number().int(), items: z.array(ResentSchema) })
  .openapi('ResentPartnerMessages')

export const DeliveryHealthSchema = z
  .object({
    at: z.string(),
    partners: z.array(
      z.object({
        partner: z.string(),
        pending: z.number().int(),
        retrying: z.number().int(),
        oldestPendingAgeSeconds: z.number().int().nullable(),
        attempts: z.number().int(),
        failedAttempts: z.number().int(),
        delivered: z.number().int(),
        deadLetters: z.number().int(),
        lastDeliveredAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('DeliveryHealth')
