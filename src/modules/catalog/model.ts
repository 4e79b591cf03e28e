export const ITEM_STATUSES = ['catalogued', 'online', 'paused', 'retired'] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

export const ITEM_MODES = ['online', 'proxy', 'joint'] as const
export type ItemMode = (typeof ITEM_MODES)[number]

/** An item as gateway-api-v1.md shows it. */
export interface Item {
  code: string
  basicCode: string
  name: string
  department: string
  modes: ItemMode[]
  promisedDays: number
  status: ItemStatus
  township: boolean
  crossCity: boolean
}

export interface Department {
  code: string
  name: string
}

export interface ItemFilters {
  department?: string
  status?: ItemStatus
  mode?: ItemMode
  /** Region code of a partner: items in that partner's agreements. */
  partner?: string
  /** Part of the Chinese name, or of either code. */
  q?: string
  crossCity?: boolean
  township?: boolean
}

/**
 * Allowed status moves: catalogued → online ⇄ paused, and any → retired (final).
 * Kept as data so the console can offer exactly the moves the service accepts.
 */
export const ITEM_STATUS_MOVES: Record<ItemStatus, readonly ItemStatus[]> = {
  catalogued: ['online', 'retired'],
  online: ['paused', 'retired'],
  paused: ['online', 'retired'],
  retired: [],
}
