import type { Ctx } from '../../context.js'
import { AppError } from '../../lib/errors.js'
import { type Accepted, acceptMessage } from '../exchange/accept-message.js'
import type { PartnerFormat } from '../formats/canonical.js'
import { enqueueMessage } from '../outbox/enqueue-message.js'
import { recordStateChange } from '../stats/record-state-change.js'
import type { VerifiedMessage } from '../trust/envelope/index.js'
import { contentDigest } from './documents.js'
import { intakeBatcher } from './intake-batch.js'
import { caseNumber, inboundCaseRows, openItem, type PreparedIntake } from './intake-rows.js'
import { parseOrRefuse } from './parse-or-refuse.js'
import {
  findCaseByPartnerNo,
  findInboundItem,
  insertCase,
  insertEvent,
  insertMaterials,
  nextCaseNumber,
} from './repository.js'

/**
 * Intake of a delegated case (`POST /v1/exchange/cases`): the verified message is parsed in
 * the sender's format, its item resolved through the agreement, and — in one transaction — the
 * case, its materials, our `received` event, the outbox row carrying that event to the partner
 * and the message evidence are written; then the signed receipt is returned.
 *
 * Messages arriving together share their transaction (intake-batch.ts: group commit); a
 * message that is a retry, a duplicate or a conflict, or any message when its batch fails,
 * takes its own (receiveAlone). The answer to each message is the same either way.
 */
export async function receiveCase({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { message: VerifiedMessage; jws: string; format: PartnerFormat }
}): Promise<Accepted> {
  const { message, format } = input
  const doc = parseOrRefuse(format.parseCase(message.payload))
  const prepared: PreparedIntake = { ctx, message, jws: input.jws, format, doc, digest: contentDigest(doc) }
  // Inside a caller's transaction the message must be written there, not in a batch's.
  if (ctx.inTransaction) return receiveAlone(prepared)
  return intakeBatcher(ctx, receiveAlone).submit(prepared)
}

/**
 * One message in its own transaction, with the protocol's idempotency (acceptMessage): a retry
 * gets its original receipt, the same case under a new jti is a duplicate, other content under
 * a known case number is case_conflict. It reads nothing it already knows: the case is inserted
 * already `received` (ourFirstEvent); its materials, event and outbox row go out in one batch
 * with the receipt; and the counters, whose rows every intake of the same item and partner
 * shares, are written last, so their row locks are held only until COMMIT.
 */
export async function receiveAlone(p: PreparedIntake): Promise<Accepted> {
  const { ctx, message, doc } = p
  const item = openItem(p, await findInboundItem(ctx.db, message.agreement.id, doc.itemCode))

  return acceptMessage(ctx, message, p.jws, async (tx) => {
    const existing = await findCaseByPartnerNo(tx.db, message.sender, 'inbound', doc.caseNo)
    if (existing) {
      if (existing.documentDigest !== p.digest) {
        throw new AppError('case_conflict', `Case ${doc.caseNo} was already sent with other content`)
      }
      return { caseNo: existing.caseNo, outcome: 'duplicate' }
    }
    const now = tx.clock.now()
    const caseNo = caseNumber(now, await nextCaseNumber(tx.db))
    const rows = await inboundCaseRows(tx, p, item, caseNo, now)
    await insertCase(tx.db, rows.caseRow)
    return {
      caseNo,
      outcome: 'accepted',
      alongside: () =>
        Promise.all([
          insertMaterials(tx.db, rows.materialRows),
          insertEvent(tx.db, rows.event),
          enqueueMessage(tx.db, rows.outbox, now, rows.outboxId),
        ]),
      lastly: () => recordStateChange(tx.db, rows.caseRow, null, rows.caseRow.state),
    }
  })
}
