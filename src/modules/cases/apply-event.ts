import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { AppError } from '../../lib/errors.js'
import { computeCaseClock } from '../calendar/case-clock.js'
import { loadCalendar } from '../calendar/overrides/load-calendar.js'
import type { CanonicalStatus, DeliveryMethod } from '../formats/canonical.js'
import { recordStateChange } from '../stats/record-state-change.js'
import { contentDigest, splitMaterials } from './documents.js'
import { type CaseState, checkTransition, ourRole, theirRole } from './lifecycle.js'
import { type CaseRow, caseTimeline, insertEvent, insertMaterials, updateCase } from './repository.js'

export interface ApplyEventInput {
  /** The case, locked by the caller for this transaction. */
  caseRow: CaseRow
  side: 'ours' | 'theirs'
  status: CanonicalStatus
  /** Who did it, for the record: `user:huangli`, `partner:441324`. */
  actor: string
  /** The evidence (incoming) or outbox (outgoing) row that carries it. */
  messageId?: string
}

/**
 * Applies one event of either side: checks it against the state machine, records it (and any
 * materials it carries), moves the case's state and recomputes its time-limit clock.
 */
export async function applyEvent(
  ctx: Ctx,
  input: ApplyEventInput,
): Promise<{ eventId: string; state: CaseState }> {
  const { caseRow, side, status } = input
  const role = side === 'ours' ? ourRole(caseRow.direction) : theirRole(caseRow.direction)
  const check = checkTransition(
    caseRow.state as CaseState,
    status.type,
    role,
    caseRow.deliveryMethod as DeliveryMethod,
  )
  if (!check.ok) throw new AppError('transition_not_allowed', check.reason)

  const eventId = randomUUID()
  const { stored, rows } = splitMaterials(status.materials)
  await insertMaterials(
    ctx.db,
    rows.map((r) => ({ ...r, caseId: caseRow.id, eventId })),
  )
  const at = new Date(status.occurredAt)
  await insertEvent(ctx.db, {
    id: eventId,
    caseId: caseRow.id,
    side,
    seq: status.seq,
    type: status.type,
    data: { ...status, ...(status.materials ? { materials: stored } : {}) },
    documentDigest: contentDigest(status),
    actor: input.actor,
    at,
    messageId: input.messageId ?? null,
  })

  const timeline = await caseTimeline(ctx.db, caseRow.id)
  const clock = computeCaseClock(await loadCalendar(ctx), {
    promisedDays: caseRow.promisedDays,
    events: timeline.map((e) => ({ type: e.type as CanonicalStatus['type'], at: e.at.toISOString() })),
    now: ctx.clock.now(),
  })
  const fields = {
    state: check.to,
    clockState: clock.state,
    promisedDate: clock.promisedDate ?? null,
    overdueFrozen: clock.state !== 'running' && clock.overdue ? 1 : 0,
    workingDaysUsed: clock.state === 'not_started' ? null : clock.workingDaysUsed,
    ...(status.type === 'concluded' ? { concludedAt: at } : {}),
    // The handler's number reaches us with its first event on an outbound case.
    ...(side === 'theirs' && caseRow.direction === 'outbound' && status.peerCaseNo && !caseRow.partnerCaseNo
      ? { partnerCaseNo: status.peerCaseNo }
      : {}),
    updatedAt: ctx.clock.now(),
  }
  await updateCase(ctx.db, caseRow.id, fields)
  await recordStateChange(ctx.db, { ...caseRow, ...fields }, caseRow.state as CaseState, check.to)
  return { eventId, state: check.to }
}
