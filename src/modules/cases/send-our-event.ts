import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
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
} from '../formats/canonical.js'
import { getFormat } from '../formats/registry.js'
import { checkStatusParts } from '../formats/shared/event-rules.js'
import { enqueueMessage } from '../outbox/enqueue-message.js'
import { applyEvent } from './apply-event.js'
import type { CaseState } from './lifecycle.js'
import { caseAgreement, caseTimeline, lastEvent, lockCase } from './repository.js'

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
    occurredAt: input.occurredAt,
    ...(spec.handlerDept || spec.handlerName
      ? {
          handler: {
            ...(spec.handlerDept ? { dept: spec.handlerDept } : {}),
            ...(spec.handlerName ? { name: spec.handlerName } : {}),
          },
        }
      : {}),
    ...(spec.reason ? { reason: spec.reason } : {}),
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
    {
      partnerRegion: caseRow.partnerRegion,
      agreementId: agreement.id,
      caseId: caseRow.id,
      caseSeq: seq,
      typ: 'kytb-status',
      cty: format.cty,
      payload: format.renderStatus(status),
    },
    ctx.clock.now(),
    outboxId,
  )
  return { seq, state: applied.state, status }
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
