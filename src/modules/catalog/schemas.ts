import { z } from '@hono/zod-openapi'
import { FiguresSchema } from '../stats/schemas.js'
import { ITEM_MODES, ITEM_STATUSES } from './model.js'

export const ItemSchema = z
  .object({
    code: z.string().openapi({ example: '11440233MB2C57298J4000105001000' }),
    basicCode: z.string().openapi({ example: '000105001000' }),
    name: z.string().openapi({ example: '内地居民婚姻登记' }),
    department: z.string(),
    modes: z.array(z.enum(ITEM_MODES)),
    promisedDays: z.number().int(),
    status: z.enum(ITEM_STATUSES),
    township: z.boolean(),
    crossCity: z.boolean(),
  })
  .openapi('Item')

const boolParam = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional()

export const ItemQuerySchema = z.object({
  department: z.string().max(64).optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  mode: z.enum(ITEM_MODES).optional(),
  partner: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  q: z.string().min(1).max(100).optional(),
  crossCity: boolParam,
  township: boolParam,
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(512).optional(),
})

export const ItemPageSchema = z
  .object({ items: z.array(ItemSchema), total: z.number().int(), nextCursor: z.string().nullable() })
  .openapi('ItemPage')

export const DepartmentListSchema = z
  .object({ items: z.array(z.object({ code: z.string(), name: z.string() })) })
  .openapi('DepartmentList')

export const ItemCodeParam = z.object({ code: z.string().min(1).max(64) })
export const ItemStatusBody = z.object({ status: z.enum(ITEM_STATUSES) }).openapi('ItemStatusChange')

export const ItemWithFiguresSchema = ItemSchema.extend({ figures: FiguresSchema }).openapi('ItemWithFigures')
