import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/client.js'
import { newJti, payloadDigest } from '../trust/envelope/index.js'
import { insertOutbox } from './repository.js'

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
  const jti = newJti()
  await insertOutbox(db, {
    id,
    partnerRegion: msg.partnerRegion,
    agreementId: msg.agreementId,
    caseId: msg.caseId,
    caseSeq: msg.caseSeq,
    typ: msg.typ,
    cty: msg.cty,
    path: msg.typ === 'kytb-case' ? 'cases' : 'status',
    jti,
    payload: msg.payload,
    digest: payloadDigest(msg.payload),
    nextAttemptAt: now,
    createdAt: now,
  })
  return { id, jti }
}
