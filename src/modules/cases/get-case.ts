import type { Ctx } from '../../context.js'
import { canSeeDepartment, type UserActor } from '../../http/auth.js'
import { beijingDate } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { loadCalendar } from '../calendar/overrides/load-calendar.js'
import type { DeliveryMethod } from '../formats/canonical.js'
import { deliveryStateByMessageIds } from '../outbox/repository.js'
import { allowedEvents, type CaseState, ourRole } from './lifecycle.js'
import { type CaseRow, caseMaterials, caseTimeline, findCaseByNo } from './repository.js'
import { clockView, documentParts, summaryOf } from './view.js'

/** A case the actor may see, or the same 404 whether it is absent or another department's. */
export async function visibleCase(ctx: Ctx, actor: UserActor, caseNo: string): Promise<CaseRow> {
  const row = await findCaseByNo(ctx.db, caseNo)
  if (!row || !canSeeDepartment(actor, row.departmentCode))
    throw new AppError('case_not_found', `No case ${caseNo}`)
  return row
}

/** The case with its people, materials, both sides' events and each of our events' delivery state. */
export async function getCase({
  ctx,
  actor,
  input,
}: {
  ctx: Ctx
  actor: UserActor
  input: { caseNo: string }
}) {
  const row = await visibleCase(ctx, actor, input.caseNo)
  const today = beijingDate(ctx.clock.now())
  const calendar = await loadCalendar(ctx)
  const [events, materials] = await Promise.all([caseTimeline(ctx.db, row.id), caseMaterials(ctx.db, row.id)])
  const deliveries = await deliveryStateByMessageIds(
    ctx.db,
    events.filter((e) => e.side === 'ours' && e.messageId).map((e) => e.messageId as string),
  )
  return {
    ...summaryOf(row, today, calendar),
    ...clockView(row, today, calendar),
    workingDaysUsed: row.workingDaysUsed,
    ...documentParts(row),
    materials: materials.map((m) => ({
      id: m.id,
      code: m.code,
      name: m.name,
      original: m.original === 1,
      fileName: m.fileName,
      mediaType: m.mediaType,
      size: m.size,
      sha256: m.sha256,
      eventId: m.eventId,
    })),
    events: events.map((e) => {
      const {
        caseNo: _c,
        peerCaseNo: _p,
        seq: _s,
        type: _t,
        occurredAt: _o,
        ...details
      } = e.data as Record<string, unknown>
      const delivery = e.side === 'ours' && e.messageId ? deliveries.get(e.messageId) : undefined
      return {
        id: e.id,
        seq: e.seq,
        side: e.side,
        type: e.type,
        at: e.at.toISOString(),
        actor: e.actor,
        ...details,
        ...(delivery
          ? {
              delivery: {
                status: delivery.status === 'pending' && delivery.attempts > 0 ? 'retrying' : delivery.status,
                attempts: delivery.attempts,
                deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
                lastError: delivery.lastError,
                nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
              },
            }
          : {}),
      }
    }),
    allowedEvents: allowedEvents(
      row.state as CaseState,
      ourRole(row.direction),
      row.deliveryMethod as DeliveryMethod,
    ),
  }
}
