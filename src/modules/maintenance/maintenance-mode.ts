import type { Ctx } from '../../context.js'
import type { Db } from '../../db/client.js'
import { withTransaction } from '../../db/tx.js'
import { recordAudit } from '../audit/record-audit.js'
import { readSetting, writeSetting } from '../auth/repository.js'

export interface MaintenanceState {
  enabled: boolean
  /** Seconds partners are told to wait (Retry-After). */
  retryAfter: number
  reason: string | null
  since: string | null
}

const KEY = 'maintenance'
const OFF: MaintenanceState = { enabled: false, retryAfter: 300, reason: null, since: null }
const CACHE_MS = 2000
let cached: { at: number; db: Db; value: MaintenanceState } | undefined

/**
 * Whether exchange intake is paused. Kept in the database so every instance follows one switch;
 * read at most every 2 s per instance, since intake asks on every message.
 */
export async function maintenanceState(db: Db, now: number = Date.now()): Promise<MaintenanceState> {
  if (cached && cached.db === db && now - cached.at < CACHE_MS) return cached.value
  const raw = await readSetting(db, KEY)
  const value = raw ? { ...OFF, ...(JSON.parse(raw) as Partial<MaintenanceState>) } : OFF
  cached = { at: now, db, value }
  return value
}

export async function setMaintenance({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { enabled: boolean; retryAfter?: number | undefined; reason?: string | undefined }
}): Promise<MaintenanceState> {
  const value: MaintenanceState = {
    enabled: input.enabled,
    retryAfter: input.retryAfter ?? OFF.retryAfter,
    reason: input.reason ?? null,
    since: input.enabled ? ctx.clock.now().toISOString() : null,
  }
  await withTransaction(ctx, async (tx) => {
    await writeSetting(tx.db, KEY, JSON.stringify(value))
    await recordAudit(tx, {
      action: input.enabled ? 'maintenance.on' : 'maintenance.off',
      subject: 'gateway',
      data: { ...value },
    })
  })
  cached = undefined
  return value
}
