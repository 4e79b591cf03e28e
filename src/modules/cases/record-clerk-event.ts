import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import type { UserActor } from '../../http/auth.js'
import { AppError } from '../../lib/errors.js'
import { type CaseResult, type CorrectionItem, EVENT_TYPES, type EventType } from '../formats/canonical.js'
import { formatBeijing } from '../formats/shared/times.js'
import { type ApiMaterial, materialsFromApi } from './api-materials.js'
import { visibleCase } from './get-case.js'
import { departmentName } from './repository.js'
import { type OurEventSpec, sendOurEvent } from './send-our-event.js'

/** Everything but `received`, which the gateway itself sends when a case arrives. */
export const CLERK_EVENT_TYPES = EVENT_TYPES.filter(
  (t): t is Exclude<EventType, 'received'> => t !== 'received',
) as [Exclude<EventType, 'received'>, ...Exclude<EventType, 'received'>[]]

export interface ClerkEventInput {
  caseNo: string
  type: Exclude<EventType, 'received'>
  reason?: string | undefined
  correction?: CorrectionItem[] | undefined
  result?: CaseResult | undefined
  materials?: ApiMaterial[] | undefined
}

/**
 * A clerk's step on a case (`POST /v1/cases/{caseNo}/events`). The state machine decides what
 * is allowed; the event goes to the partner through the outbox in the same transaction.
 */
export async function recordClerkEvent({
  ctx,
  actor,
  input,
}: {
  ctx: Ctx
  actor: UserActor
  input: ClerkEventInput
}): Promise<{ seq: number; state: string }> {
  const row = await visibleCase(ctx, actor, input.caseNo)
  if (
    input.type === 'concluded' &&
    input.result?.outcome === 'approved' &&
    row.deliveryMethod === 'mail' &&
    !input.result.waybill
  ) {
    throw new AppError('validation_failed', 'A result sent by mail needs its waybill', {
      errors: [
        { location: '/result/waybill', code: 'required', message: 'carrier and number for mail delivery' },
      ],
    })
  }
  const materials = input.materials ? materialsFromApi(input.materials, '/materials') : undefined
  return withTransaction(ctx, async (tx) => {
    const spec: OurEventSpec = {
      type: input.type,
      reason: input.reason,
      correction: input.correction,
      result: input.result,
      materials,
      ...(row.direction === 'inbound'
        ? { handlerDept: await departmentName(tx.db, row.departmentCode), handlerName: actor.username }
        : {}),
    }
    const now = tx.clock.now()
    const { seq, state } = await sendOurEvent(tx, {
      caseId: row.id,
      build: spec,
      occurredAt: formatBeijing(Math.floor(now.getTime() / 1000) * 1000),
    })
    return { seq, state }
  })
}
