import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import type { cases } from '../../db/schema/index.js'
import { AppError, type FieldError } from '../../lib/errors.js'
import { actorLabel } from '../audit/record-audit.js'
import { beijingDateOfInstant } from '../calendar/calendar-date.js'
import { computeCaseClock } from '../calendar/case-clock.js'
import { loadCalendar } from '../calendar/overrides/load-calendar.js'
import type {
  CanonicalStatus,
  CaseResult,
  CorrectionItem,
  EventType,
  Material,
  PartnerFormat,
} from '../formats/canonical.js'
import { getFormat } from '../formats/registry.js'
import { checkStatusParts } from '../formats/shared/event-rules.js'
import { enqueueMessage, type OutboundMessage } from '../outbox/enqueue-message.js'
import { applyEvent, caseFieldsAfter, eventRows, transitionTo } from './apply-event.js'
import type { CaseState } from './lifecycle.js'
import { type CaseRow, caseAgreement, caseTimeline, lastEvent, lockCase } from './repository.js'

export interface OurEventSpec {
  type: EventType
  reason?: string | undefined
  correction?: CorrectionItem[] | undefined
  result?: CaseResult | undefined
  materials?: Material[] | undefined
  handlerDept?: string | undefined
  handlerName?: string | undefined
}

/**
 * Records an event of ours on a case and, in the same transaction, queues the signed-to-be
 * status document for the partner, in the partner's format, with our next `seq`.
 */
export async function sendOurEvent(
  ctx: Ctx,
  input: { caseId: string; build: OurEventSpec; occurredAt: string },
): Promise<{ seq: number; state: CaseState; status: CanonicalStatus }> {
  const caseRow = await lockCase(ctx.db, input.caseId)
  if (!caseRow) throw new AppError('case_not_found')
  const seq = ((await lastEvent(ctx.db, caseRow.id, 'ours'))?.seq ?? 0) + 1
  const spec = input.build
  const status = ourStatus(caseRow, seq, spec, input.occurredAt, {
    ...(spec.type === 'accepted'
      ? {
          promisedDate: await promisedDateOnAcceptance(
            ctx,
            caseRow.id,
            caseRow.promisedDays,
            input.occurredAt,
          ),
        }
      : {}),
  })

  const outboxId = randomUUID()
  const applied = await applyEvent(ctx, {
    caseRow,
    side: 'ours',
    status,
    actor: actorLabel(ctx.actor),
    messageId: outboxId,
  })
  const agreement = await caseAgreement(ctx.db, caseRow.agreementId)
  const format = agreement ? getFormat(agreement.format) : undefined
  if (!agreement || !format) throw new Error(`case ${caseRow.caseNo}: agreement or format missing`)
  await enqueueMessage(
    ctx.db,
    outboxMessage(caseRow, agreement.id, format, status),
    ctx.clock.now(),
    outboxId,
  )
  return { seq, state: applied.state, status }
}

/** A new case, as inserted: the fields the event rules and the status document read. */
type NewCase = typeof cases.$inferInsert & Pick<CaseRow, 'id' | 'caseNo' | 'direction' | 'agreementId'>

/**
 * Our first event on a case created in this same transaction (an inbound case's `received`),
 * by the same rules as sendOurEvent, without reading anything back: the case is new, so nobody
 * else can hold it, it has no event yet (seq 1, a timeline of this event alone), and its
 * agreement is the caller's. Returns the rows to write rather than writing them: the case row
 * already in the state the event leads to, with its clock (one insert instead of an insert and
 * an update), the event's rows, and the outbox message. The caller inserts the case first.
 */
export async function ourFirstEvent(
  ctx: Ctx,
  input: {
    caseRow: NewCase
    agreement: { id: string; format: PartnerFormat }
    build: OurEventSpec
    occurredAt: string
  },
) {
  const { caseRow, build } = input
  const facts = {
    ...caseRow,
    partnerCaseNo: caseRow.partnerCaseNo ?? null,
    state: caseRow.state,
  }
  // `accepted` (the only event that reads the timeline for its promised date) is never first.
  if (build.type === 'accepted') throw new TypeError('accepted cannot be the first event of a case')
  const status = ourStatus(facts, 1, build, input.occurredAt, {})
  const to = transitionTo(facts, 'ours', status.type)
  const outboxId = randomUUID()
  const { event, materialRows } = eventRows({
    caseId: caseRow.id,
    side: 'ours',
    status,
    actor: actorLabel(ctx.actor),
    messageId: outboxId,
  })
  const fields = await caseFieldsAfter(ctx, facts, 'ours', status, to, [event])
  return {
    caseRow: { ...caseRow, ...fields },
    event,
    materialRows,
    outboxId,
    outbox: outboxMessage(caseRow, input.agreement.id, input.agreement.format, status),
    status,
  }
}

/**
 * The status document of our event `seq` on a case, checked for the parts its type requires
 * and refuses (validation_failed). On an inbound case `caseNo` is the originator's number and
 * ours is the peer's; on an outbound case the other way round, once the handler has given one.
 */
function ourStatus(
  caseRow: Pick<CaseRow, 'direction' | 'caseNo' | 'partnerCaseNo'>,
  seq: number,
  spec: OurEventSpec,
  occurredAt: string,
  extra: { promisedDate?: string },
): CanonicalStatus {
  const inbound = caseRow.direction === 'inbound'
  const status: CanonicalStatus = {
    caseNo: inbound ? (caseRow.partnerCaseNo as string) : caseRow.caseNo,
    ...(inbound
      ? { peerCaseNo: caseRow.caseNo }
      : caseRow.partnerCaseNo
        ? { peerCaseNo: caseRow.partnerCaseNo }
        : {}),
    seq,
    type: spec.type,
    occurredAt,
    ...(spec.handlerDept || spec.handlerName
      ? {
          handler: {
            ...(spec.handlerDept ? { dept: spec.handlerDept } : {}),
            ...(spec.handlerName ? { name: spec.handlerName } : {}),
          },
        }
      : {}),
    ...(spec.reason ? { reason: spec.reason } : {}),
    ...extra,
    ...(spec.correction?.length ? { correction: spec.correction } : {}),
    ...(spec.materials?.length ? { materials: spec.materials } : {}),
    ...(spec.result ? { result: spec.result } : {}),
  }
  const problems: FieldError[] = checkStatusParts(status).map((p) => ({
    location: `/${p.part === 'promisedDate' ? 'promisedDate' : p.part}`,
    code: p.code,
    message: p.code === 'required' ? `${spec.type} needs ${p.part}` : `${spec.type} does not carry ${p.part}`,
  }))
  if (problems.length > 0)
    throw new AppError('validation_failed', 'The event is incomplete', { errors: problems })
  return status
}

/** The outbox message carrying our status document to the partner, in the agreement's format. */
function outboxMessage(
  caseRow: Pick<CaseRow, 'id' | 'partnerRegion'>,
  agreementId: string,
  format: PartnerFormat,
  status: CanonicalStatus,
): OutboundMessage {
  return {
    partnerRegion: caseRow.partnerRegion,
    agreementId,
    caseId: caseRow.id,
    caseSeq: status.seq,
    typ: 'kytb-status',
    cty: format.cty,
    payload: format.renderStatus(status),
  }
}

/** 承诺办结日期: the item's working days from acceptance, extended by any pause before it. */
async function promisedDateOnAcceptance(ctx: Ctx, caseId: string, promisedDays: number, at: string) {
  const timeline = await caseTimeline(ctx.db, caseId)
  const clock = computeCaseClock(await loadCalendar(ctx), {
    promisedDays,
    events: [
      ...timeline.map((e) => ({ type: e.type as EventType, at: e.at.toISOString() })),
      { type: 'accepted' as const, at },
    ],
    now: at,
  })
  return clock.promisedDate ?? beijingDateOfInstant(new Date(at))
}
