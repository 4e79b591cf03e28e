import type { Ctx } from '../../../context.js'
import { withTransaction } from '../../../db/tx.js'
import { AppError } from '../../../lib/errors.js'
import { recordAudit } from '../../audit/record-audit.js'
import { isCalendarDate } from '../calendar-date.js'
import { invalidateCalendar } from './load-calendar.js'
import { findOverride, removeOverride } from './repository.js'

/** Removes an override: the date falls back to the package data or the weekday rule. */
export async function deleteOverride({ ctx, input }: { ctx: Ctx; input: { date: string } }): Promise<void> {
  if (!isCalendarDate(input.date)) throw new AppError('validation_failed', `Not a date: ${input.date}`)
  await withTransaction(ctx, async (tx) => {
    const previous = await findOverride(tx.db, input.date)
    if (!previous || !(await removeOverride(tx.db, input.date))) {
      throw new AppError('not_found', `No override on ${input.date}`)
    }
    await recordAudit(tx, {
      action: 'calendar.override_deleted',
      subject: `calendar:${input.date}`,
      data: { kind: previous.kind, name: previous.name },
    })
  })
  invalidateCalendar(ctx)
}
