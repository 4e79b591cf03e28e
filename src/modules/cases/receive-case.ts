import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { beijingDate } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { findItem } from '../catalog/repository.js'
import { type Accepted, acceptMessage } from '../exchange/accept-message.js'
import type { CanonicalCase, PartnerFormat } from '../formats/canonical.js'
import { formatBeijing } from '../formats/shared/times.js'
import { recordStateChange } from '../stats/record-state-change.js'
import type { VerifiedMessage } from '../trust/envelope/index.js'
import { contentDigest, splitMaterials } from './documents.js'
import { parseOrRefuse } from './parse-or-refuse.js'
import {
  departmentName,
  findCaseByPartnerNo,
  findInboundItemCode,
  insertCase,
  insertMaterials,
  nextCaseNumber,
} from './repository.js'
import { sendOurEvent } from './send-our-event.js'

/**
 * Intake of a delegated case (`POST /v1/exchange/cases`): the verified message is parsed in
 * the sender's format, its item resolved through the agreement, and — in one transaction — the
 * case, its materials, our `received` event, the outbox row carrying that event to the partner
 * and the message evidence are written; then the signed receipt is returned.
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
  const agreement = message.agreement

  const itemCode = await findInboundItemCode(ctx.db, agreement.id, doc.itemCode)
  const item = itemCode ? await findItem(ctx.db, itemCode) : undefined
  if (!item) {
    throw new AppError(
      'item_not_in_agreement',
      `Item ${doc.itemCode} is not covered inbound by the agreement`,
    )
  }
  if (item.status !== 'online') {
    throw new AppError('item_not_in_agreement', `Item ${doc.itemCode} is not open for cross-region cases now`)
  }
  const digest = contentDigest(doc)

  return acceptMessage(ctx, message, input.jws, async (tx) => {
    const existing = await findCaseByPartnerNo(tx.db, message.sender, 'inbound', doc.caseNo)
    if (existing) {
      if (existing.documentDigest !== digest) {
        throw new AppError('case_conflict', `Case ${doc.caseNo} was already sent with other content`)
      }
      return { caseNo: existing.caseNo, outcome: 'duplicate' }
    }
    const now = tx.clock.now()
    const caseNo = `XF-${beijingDate(now).slice(0, 4)}-${String(await nextCaseNumber(tx.db)).padStart(6, '0')}`
    const caseId = randomUUID()
    const { stored, rows } = splitMaterials(doc.materials)
    const document: Omit<CanonicalCase, 'materials'> & { materials: typeof stored } = {
      ...doc,
      materials: stored,
    }
    const row = {
      id: caseId,
      caseNo,
      direction: 'inbound',
      partnerRegion: message.sender,
      agreementId: agreement.id,
      partnerCaseNo: doc.caseNo,
      itemCode: item.code,
      partnerItemCode: doc.itemCode,
      itemName: item.name,
      departmentCode: item.department,
      state: 'submitted',
      applicantName: doc.applicant.name,
      document,
      documentDigest: digest,
      deliveryMethod: doc.delivery.method,
      promisedDays: item.promisedDays,
      receivedAt: now,
      createdAt: now,
      updatedAt: now,
    } as const
    await insertCase(tx.db, row)
    await recordStateChange(tx.db, row, null, 'submitted')
    await insertMaterials(
      tx.db,
      rows.map((r) => ({ ...r, caseId })),
    )
    const caseRow = { caseNo, id: caseId } as const
    await sendOurEvent(tx, {
      caseId: caseRow.id,
      build: { type: 'received', handlerDept: await departmentName(tx.db, item.department) },
      occurredAt: formatBeijing(Math.floor(now.getTime() / 1000) * 1000),
    })
    return { caseNo, outcome: 'accepted' }
  })
}
