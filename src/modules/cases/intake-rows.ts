import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { beijingDate } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import type { CanonicalCase, PartnerFormat } from '../formats/canonical.js'
import { formatBeijing } from '../formats/shared/times.js'
import type { VerifiedMessage } from '../trust/envelope/index.js'
import { splitMaterials } from './documents.js'
import type { findInboundItem } from './repository.js'
import { ourFirstEvent } from './send-our-event.js'

/** A delegated case that passed every check that needs no database: verified, parsed, valid. */
export interface PreparedIntake {
  /** The request's own context (its actor is the sending partner). */
  ctx: Ctx
  message: VerifiedMessage
  jws: string
  format: PartnerFormat
  doc: CanonicalCase
  /** contentDigest(doc): what makes a re-sent case the same case. */
  digest: string
}

export type InboundItem = NonNullable<Awaited<ReturnType<typeof findInboundItem>>>

/** The item the message's item code names through its agreement, if it is open for intake now. */
export function openItem(p: PreparedIntake, item: InboundItem | undefined): InboundItem {
  if (!item) {
    throw new AppError(
      'item_not_in_agreement',
      `Item ${p.doc.itemCode} is not covered inbound by the agreement`,
    )
  }
  if (item.status !== 'online') {
    throw new AppError(
      'item_not_in_agreement',
      `Item ${p.doc.itemCode} is not open for cross-region cases now`,
    )
  }
  return item
}

/** A key per business identity of an intake, for telling apart messages that must not share a batch. */
export const jtiKey = (p: PreparedIntake) => `${p.message.sender}\n${p.message.header.jti}`
export const caseKey = (p: PreparedIntake) => `${p.message.sender}\n${p.doc.caseNo}`

/** Our case number: XF-<year>-<at least six digits of the sequence>. */
export const caseNumber = (now: Date, n: number) =>
  `XF-${beijingDate(now).slice(0, 4)}-${String(n).padStart(6, '0')}`

/**
 * Everything one accepted delegated case writes except its evidence row: the case (already
 * `received`, with its clock), its materials, our `received` event and the outbox message that
 * carries that event to the partner. `tx` is the transaction's context for this message.
 */
export async function inboundCaseRows(
  tx: Ctx,
  p: PreparedIntake,
  item: InboundItem,
  caseNo: string,
  now: Date,
) {
  const { doc, message } = p
  const caseId = randomUUID()
  const { stored, rows } = splitMaterials(doc.materials)
  const document: Omit<CanonicalCase, 'materials'> & { materials: typeof stored } = {
    ...doc,
    materials: stored,
  }
  const first = await ourFirstEvent(tx, {
    caseRow: {
      id: caseId,
      caseNo,
      direction: 'inbound',
      partnerRegion: message.sender,
      agreementId: message.agreement.id,
      partnerCaseNo: doc.caseNo,
      itemCode: item.code,
      partnerItemCode: doc.itemCode,
      itemName: item.name,
      departmentCode: item.department,
      state: 'submitted',
      applicantName: doc.applicant.name,
      document,
      documentDigest: p.digest,
      deliveryMethod: doc.delivery.method,
      promisedDays: item.promisedDays,
      receivedAt: now,
      createdAt: now,
      updatedAt: now,
    },
    agreement: { id: message.agreement.id, format: p.format },
    build: { type: 'received', handlerDept: item.departmentName },
    occurredAt: formatBeijing(Math.floor(now.getTime() / 1000) * 1000),
  })
  return {
    ...first,
    materialRows: [...rows.map((r) => ({ ...r, caseId })), ...first.materialRows],
  }
}
