import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { type AppError, isAppError } from '../../lib/errors.js'
import { type Accepted, signReceipt } from '../exchange/accept-message.js'
import { insertMessages, usedInboundJtis } from '../exchange/evidence.js'
import { enqueueMessages } from '../outbox/enqueue-message.js'
import { recordNewCases } from '../stats/record-new-cases.js'
import {
  caseKey,
  caseNumber,
  type InboundItem,
  inboundCaseRows,
  jtiKey,
  openItem,
  type PreparedIntake,
} from './intake-rows.js'
import type { CaseState } from './lifecycle.js'
import {
  existingInboundCaseNos,
  findInboundItems,
  insertCases,
  insertEvents,
  insertSmallMaterials,
  nextCaseNumbers,
} from './repository.js'

/**
 * One transaction for a batch of delegated cases (intake-batch.ts): look up the items, the jtis
 * and the case numbers of all its messages at once; then, for the plain new cases, write every
 * row that receiveAlone would, one statement per table, the shared counters last. Returns what
 * became of each message: accepted (its receipt), refused (its item), or to be written alone (a
 * jti or case number seen before). Throws, leaving nothing, if the transaction fails.
 */
export async function writeIntakeBatch<W extends { item: PreparedIntake }>(batch: readonly W[]) {
  const accepted: [W, Accepted][] = []
  const refused: [W, AppError][] = []
  const alone: W[] = []
  const ctx = batch[0]!.item.ctx
  await withTransaction(ctx, async (tx) => {
    const now = tx.clock.now()
    const [items, existing, used] = await Promise.all([
      findInboundItems(
        tx.db,
        batch.map(({ item }) => ({
          agreementId: item.message.agreement.id,
          partnerItemCode: item.doc.itemCode,
        })),
      ),
      existingInboundCaseNos(
        tx.db,
        batch.map(({ item }) => ({ partnerRegion: item.message.sender, partnerCaseNo: item.doc.caseNo })),
      ),
      usedInboundJtis(
        tx.db,
        batch.map(({ item }) => ({ partnerRegion: item.message.sender, jti: item.message.header.jti })),
      ),
    ])
    const itemOf = new Map(items.map((i) => [`${i.agreementId}\n${i.partnerItemCode}`, i]))
    const fresh: { w: W; item: InboundItem }[] = []
    for (const w of batch) {
      const { message, doc } = w.item
      let item: InboundItem
      try {
        // The same refusal receiveAlone gives, before anything is written for this message.
        item = openItem(w.item, itemOf.get(`${message.agreement.id}\n${doc.itemCode}`))
      } catch (err) {
        if (!isAppError(err)) throw err
        refused.push([w, err])
        continue
      }
      if (used.has(jtiKey(w.item)) || existing.has(caseKey(w.item))) alone.push(w)
      else fresh.push({ w, item })
    }
    if (fresh.length === 0) return

    const numbers = await nextCaseNumbers(tx.db, fresh.length)
    const written = await Promise.all(
      fresh.map(async ({ w, item }, i) => {
        // The message's own context (its partner is the actor), inside the batch's transaction.
        const own: Ctx = { ...w.item.ctx, db: tx.db, inTransaction: true }
        const caseNo = caseNumber(now, numbers[i]!)
        const rows = await inboundCaseRows(own, w.item, item, caseNo, now)
        const receipt = await signReceipt(own, w.item.message, caseNo, now, 'accepted')
        return { w, caseNo, rows, receipt }
      }),
    )
    // The cases first (the other rows refer to them), then the rest together.
    await insertCases(
      tx.db,
      written.map((x) => x.rows.caseRow),
    )
    await Promise.all([
      insertSmallMaterials(
        tx.db,
        written.flatMap((x) => x.rows.materialRows),
      ),
      insertEvents(
        tx.db,
        written.map((x) => x.rows.event),
      ),
      enqueueMessages(
        tx.db,
        written.map((x) => ({ msg: x.rows.outbox, id: x.rows.outboxId })),
        now,
      ),
      insertMessages(
        tx.db,
        written.map(({ w, caseNo, receipt }) => ({
          id: randomUUID(),
          direction: 'in' as const,
          partnerRegion: w.item.message.sender,
          jti: w.item.message.header.jti,
          typ: w.item.message.header.typ,
          digest: w.item.message.digest,
          jws: w.item.jws,
          caseNo,
          receiptJws: receipt,
          receivedAt: now,
        })),
      ),
    ])
    await recordNewCases(
      tx.db,
      written.map((x) => ({ caseRow: x.rows.caseRow, state: x.rows.caseRow.state as CaseState })),
    )
    for (const { w, caseNo, receipt } of written) accepted.push([w, { status: 201, receipt, caseNo }])
  })
  return { accepted, refused, alone }
}
