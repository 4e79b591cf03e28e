import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/client.js'
import { newJti, payloadDigest } from '../trust/envelope/index.js'
import { insertOutbox, insertOutboxRows } from './repository.js'

export interface OutboundMessage {
  partnerRegion: string
  agreementId: string
  caseId: string
  /** Our event's seq for a status; 0 for the case itself, which must arrive before its events. */
  caseSeq: number
  typ: 'kytb-case' | 'kytb-status'
  cty: 'xml' | 'json'
  payload: Uint8Array
}

/**
 * Writes a message for the delivery worker, inside the caller's transaction: if the change that
 * caused it rolls back, so does the message. Returns the outbox id and the jti it will carry.
 */
export async function enqueueMessage(
  db: Db,
  msg: OutboundMessage,
  now: Date,
  id: string = randomUUID(),
): Promise<{ id: string; jti: string }> {
  const row = outboxRow(msg, now, id)
  await insertOutbox(db, row)
  return { id, jti: row.jti }
}

/** enqueueMessage for several messages at once, in one statement. */
export async function enqueueMessages(
  db: Db,
  list: readonly { msg: OutboundMessage; id: string }[],
  now: Date,
): Promise<void> {
  if (list.length > 0)
    await insertOutboxRows(
      db,
      list.map(({ msg, id }) => outboxRow(msg, now, id)),
    )
}

/** The outbox row of a message: a fresh jti it keeps for every attempt, due at once. */
function outboxRow(msg: OutboundMessage, now: Date, id: string) {
  return {
    id,
    partnerRegion: msg.partnerRegion,
    agreementId: msg.agreementId,
    caseId: msg.caseId,
    caseSeq: msg.caseSeq,
    typ: msg.typ,
    cty: msg.cty,
    path: msg.typ === 'kytb-case' ? 'cases' : 'status',
    jti: newJti(),
    payload: msg.payload,
    digest: payloadDigest(msg.payload),
    nextAttemptAt: now,
    createdAt: now,
  }
}
