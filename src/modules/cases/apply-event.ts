import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import type { caseEvents, cases, materials } from '../../db/schema/index.js'
import { AppError } from '../../lib/errors.js'
import { computeCaseClock } from '../calendar/case-clock.js'
import { loadCalendar } from '../calendar/overrides/load-calendar.js'
import type { CanonicalStatus, DeliveryMethod, EventType } from '../formats/canonical.js'
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

/** What the rules below read of a case. */
type CaseFacts = Pick<CaseRow, 'direction' | 'state' | 'deliveryMethod' | 'promisedDays' | 'partnerCaseNo'>

/**
 * Applies one event of either side: checks it against the state machine, records it (and any
 * materials it carries), moves the case's state and recomputes its time-limit clock.
 */
export async function applyEvent(
  ctx: Ctx,
  input: ApplyEventInput,
): Promise<{ eventId: string; state: CaseState }> {
  const { caseRow, side, status } = input
  const to = transitionTo(caseRow, side, status.type)
  const { event, materialRows } = eventRows({ ...input, caseId: caseRow.id })
  await insertMaterials(ctx.db, materialRows)
  await insertEvent(ctx.db, event)

  const timeline = await caseTimeline(ctx.db, caseRow.id)
  const fields = await caseFieldsAfter(ctx, caseRow, side, status, to, timeline)
  await updateCase(ctx.db, caseRow.id, fields)
  await recordStateChange(ctx.db, { ...caseRow, ...fields }, caseRow.state as CaseState, to)
  return { eventId: event.id, state: to }
}

/** The state `type` leads to from the case's state, sent by `side`; transition_not_allowed otherwise. */
export function transitionTo(caseRow: CaseFacts, side: 'ours' | 'theirs', type: EventType): CaseState {
  const role = side === 'ours' ? ourRole(caseRow.direction) : theirRole(caseRow.direction)
  const check = checkTransition(
    caseRow.state as CaseState,
    type,
    role,
    caseRow.deliveryMethod as DeliveryMethod,
  )
  if (!check.ok) throw new AppError('transition_not_allowed', check.reason)
  return check.to
}

/** The event's row, and its materials' rows (their bytes out of the event's data). */
export function eventRows(input: Omit<ApplyEventInput, 'caseRow'> & { caseId: string }): {
  event: typeof caseEvents.$inferInsert & { id: string }
  materialRows: (typeof materials.$inferInsert)[]
} {
  const { status } = input
  const eventId = randomUUID()
  const { stored, rows } = splitMaterials(status.materials)
  return {
    event: {
      id: eventId,
      caseId: input.caseId,
      side: input.side,
      seq: status.seq,
      type: status.type,
      data: { ...status, ...(status.materials ? { materials: stored } : {}) },
      documentDigest: contentDigest(status),
      actor: input.actor,
      at: new Date(status.occurredAt),
      messageId: input.messageId ?? null,
    },
    materialRows: rows.map((r) => ({ ...r, caseId: input.caseId, eventId })),
  }
}

/**
 * The case's fields once the event is applied: its new state, and its clock recomputed over the
 * whole timeline (every event of both sides, this one included, in the order they happened).
 */
export async function caseFieldsAfter(
  ctx: Ctx,
  caseRow: CaseFacts,
  side: 'ours' | 'theirs',
  status: CanonicalStatus,
  to: CaseState,
  timeline: readonly { type: string; at: Date }[],
) {
  const clock = computeCaseClock(await loadCalendar(ctx), {
    promisedDays: caseRow.promisedDays,
    events: timeline.map((e) => ({ type: e.type as EventType, at: e.at.toISOString() })),
    now: ctx.clock.now(),
  })
  return {
    state: to,
    clockState: clock.state,
    promisedDate: clock.promisedDate ?? null,
    overdueFrozen: clock.state !== 'running' && clock.overdue ? 1 : 0,
    workingDaysUsed: clock.state === 'not_started' ? null : clock.workingDaysUsed,
    ...(status.type === 'concluded' ? { concludedAt: new Date(status.occurredAt) } : {}),
    // The handler's number reaches us with its first event on an outbound case.
    ...(side === 'theirs' && caseRow.direction === 'outbound' && status.peerCaseNo && !caseRow.partnerCaseNo
      ? { partnerCaseNo: status.peerCaseNo }
      : {}),
    updatedAt: ctx.clock.now(),
  } satisfies Partial<typeof cases.$inferInsert>
}
