import type { Ctx } from '../../../context.js'
import { withTransaction } from '../../../db/tx.js'
import { AppError } from '../../../lib/errors.js'
import { actorLabel, recordAudit } from '../../audit/record-audit.js'
import { isCalendarDate } from '../calendar-date.js'
import { invalidateCalendar } from './load-calendar.js'
import { findOverride, type StoredOverride, upsertOverride } from './repository.js'

export interface SetOverrideInput {
  date: string
  kind: 'holiday' | 'workday'
  name?: string | null
}

/**
 * Enters (or replaces) an administrator's word on one date, e.g. a newly published State
 * Council holiday arrangement or a 调休 make-up working day. Audited with the previous value,
 * since it moves every promised date that spans it.
 */
export async function setOverride({
  ctx,
  input,
}: {
  ctx: Ctx
  input: SetOverrideInput
}): Promise<StoredOverride> {
  // Re-checked here, not only in the route: other callers (a CLI, a seed) reach the verb directly.
  if (!isCalendarDate(input.date)) throw new AppError('validation_failed', `Not a date: ${input.date}`)
  if (input.kind !== 'holiday' && input.kind !== 'workday') {
    throw new AppError('validation_failed', 'kind must be holiday or workday')
  }
  const name = input.name?.trim() || null
  const stored = await withTransaction(ctx, async (tx) => {
    const previous = await findOverride(tx.db, input.date)
    const row = await upsertOverride(tx.db, {
      date: input.date,
      kind: input.kind,
      name,
      createdBy: actorLabel(tx.actor),
      createdAt: tx.clock.now(),
    })
    await recordAudit(tx, {
      action: 'calendar.override_set',
      subject: `calendar:${input.date}`,
      data: {
        kind: row.kind,
        name: row.name,
        previous: previous ? { kind: previous.kind, name: previous.name } : null,
      },
    })
    return row
  })
  invalidateCalendar(ctx)
  return stored
}
