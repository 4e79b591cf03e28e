import type { Ctx } from '../../context.js'
import { decodeCursor, encodeCursor } from '../../lib/cursor.js'
import type { Item, ItemFilters } from './model.js'
import { countItems, findItems } from './repository.js'

export interface ListItemsInput extends ItemFilters {
  limit: number
  cursor?: string
}

export interface ItemPage {
  items: Item[]
  total: number
  nextCursor: string | null
}

const isCodeCursor = (v: Record<string, unknown>): v is { code: string } => typeof v.code === 'string'

export async function listItems({ ctx, input }: { ctx: Ctx; input: ListItemsInput }): Promise<ItemPage> {
  const { limit, cursor, ...filters } = input
  const after = cursor ? decodeCursor(cursor, isCodeCursor).code : undefined
  // One row more than asked tells whether there is a next page without a second query.
  const [rows, total] = await Promise.all([
    findItems(ctx.db, filters, { limit: limit + 1, ...(after ? { after } : {}) }),
    countItems(ctx.db, filters),
  ])
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    items: page,
    total,
    nextCursor: rows.length > limit && last ? encodeCursor({ code: last.code }) : null,
  }
}
