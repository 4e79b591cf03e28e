import type { Ctx } from '../../context.js'
import { AppError } from '../../lib/errors.js'
import { type Accepted, acceptMessage } from '../exchange/accept-message.js'
import type { CanonicalStatus, PartnerFormat } from '../formats/canonical.js'
import { EVENT_RULES } from '../formats/shared/event-rules.js'
import type { VerifiedMessage } from '../trust/envelope/index.js'
import { applyEvent } from './apply-event.js'
import { contentDigest } from './documents.js'
import { parseOrRefuse } from './parse-or-refuse.js'
import {
  type CaseRow,
  findCaseByNo,
  findCaseByPartnerNo,
  findEvent,
  lastEvent,
  lockCase,
} from './repository.js'

/**
 * A partner's status event (`POST /v1/exchange/status`): the originator's events on cases we
 * handle, the handler's events on cases we sent. `seq` per case and side: last+1 is applied,
 * an earlier one with the same content is a duplicate, with other content a conflict, and a
 * later one a gap the sender must fill first.
 */
export async function receiveStatus({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { message: VerifiedMessage; jws: string; format: PartnerFormat }
}): Promise<Accepted> {
  const { message } = input
  const status = parseOrRefuse(input.format.parseStatus(message.payload))
  const digest = contentDigest(status)

  return acceptMessage(ctx, message, input.jws, async (tx) => {
    const found = await findPartnersCase(tx, message.sender, status)
    const caseRow = found ? await lockCase(tx.db, found.id) : undefined
    if (!caseRow) throw new AppError('case_not_found', `No case ${status.caseNo} of yours`)

    const last = (await lastEvent(tx.db, caseRow.id, 'theirs'))?.seq ?? 0
    if (status.seq <= last) {
      const earlier = await findEvent(tx.db, caseRow.id, 'theirs', status.seq)
      if (earlier?.documentDigest === digest) return { caseNo: caseRow.caseNo, outcome: 'duplicate' }
      throw new AppError(
        'case_conflict',
        `Event ${status.seq} of case ${status.caseNo} was already sent with other content`,
      )
    }
    if (status.seq > last + 1) {
      throw new AppError('sequence_gap', `Event ${last + 1} of case ${status.caseNo} has not arrived yet`, {
        headers: { 'Retry-After': '5' },
      })
    }
    await applyEvent(tx, { caseRow, side: 'theirs', status, actor: `partner:${message.sender}` })
    return { caseNo: caseRow.caseNo, outcome: 'accepted' }
  })
}

/**
 * `caseNo` in a status is always the originator's number: the partner's own for a case it sent
 * us, ours for a case we sent it. Which one the event means follows from who may send it; a
 * case of another partner is never found (the same 404 as a case that does not exist).
 */
async function findPartnersCase(
  ctx: Ctx,
  partner: string,
  status: CanonicalStatus,
): Promise<CaseRow | undefined> {
  const sentBy = EVENT_RULES[status.type].sentBy
  if (sentBy !== 'handler') {
    const inbound = await findCaseByPartnerNo(ctx.db, partner, 'inbound', status.caseNo)
    if (inbound || sentBy === 'originator') return inbound
  }
  const outbound = await findCaseByNo(ctx.db, status.caseNo)
  return outbound && outbound.direction === 'outbound' && outbound.partnerRegion === partner
    ? outbound
    : undefined
}
