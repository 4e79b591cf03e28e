import { z } from '@hono/zod-openapi'

const month = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month, YYYY-MM')
    .optional()
    .openapi({ param: { name, in: 'query' }, example: name === 'from' ? '2026-01' : '2026-12' })

export const StatsQuerySchema = z.object({
  /** First month of receipt, inclusive. */
  from: month('from'),
  /** Last month of receipt, inclusive. */
  to: month('to'),
  partner: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  /** For administrators; a clerk always gets its own department. */
  department: z.string().min(1).max(64).optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
})

const ratio = z.number().min(0).max(1).nullable()

/** See modules/stats/README.md for the definitions. */
export const FiguresSchema = z
  .object({
    received: z.number().int(),
    open: z.number().int(),
    concluded: z.number().int(),
    rejected: z.number().int(),
    withdrawn: z.number().int(),
    overdue: z.number().int(),
    /** 办结率 = (concluded + rejected) ÷ (received − withdrawn) */
    completionRate: ratio,
    /** 按时办结率 = concluded within the time limit ÷ concluded */
    onTimeRate: ratio,
    medianWorkingDays: z.number().nullable(),
  })
  .openapi('Figures')

const row = <K extends string>(key: K, value: z.ZodType) =>
  FiguresSchema.extend({ [key]: value } as Record<K, z.ZodType>)

export const StatsSummarySchema = z
  .object({
    totals: FiguresSchema,
    byPartner: z.array(row('partner', z.string())),
    /** The busiest items first; item null = cases without a Xinfeng item (outbound). */
    byItem: z.array(row('item', z.string().nullable())),
    byDepartment: z.array(row('department', z.string())),
    byMonth: z.array(row('month', z.string())),
  })
  .openapi('StatsSummary')
