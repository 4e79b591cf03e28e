import type { Db } from '../../db/client.js'
import { beijingDate } from '../../lib/clock.js'
import { findPartnerAgreement } from '../agreements/repository.js'
import { toSenderAgreement } from '../agreements/trust-store.js'
import type { SenderAgreement } from '../trust/envelope/index.js'

/** Where and under which keys a partner is reached now. */
export interface DeliveryAgreement {
  /** Base URL without a trailing slash (validate-endpoint.ts normalises it). */
  endpoint: string
  /** For verifying the partner's receipts. */
  sender: SenderAgreement
  /** Why nothing may be sent now, or undefined when the agreement is active and in its validity. */
  inactive?: string
}

/**
 * The partner's agreement as the trust store sees it: its active one, else its latest. Looked up
 * by partner rather than by the row's agreement id, so a renewed agreement (new endpoint or keys)
 * carries messages queued under the old one. A suspended, terminated, not-yet-valid or expired
 * agreement sends nothing: the row waits (receipts could not verify anyway, the envelope requires
 * an active agreement) until it is active again or the 24-hour window ends.
 */
export async function deliveryAgreement(
  db: Db,
  region: string,
  now: Date,
): Promise<DeliveryAgreement | undefined> {
  const found = await findPartnerAgreement(db, region)
  if (!found) return undefined
  const { row } = found
  const today = beijingDate(now)
  const inactive =
    row.status !== 'active'
      ? `agreement not active (${row.status})`
      : today < row.validFrom || today > row.validUntil
        ? `agreement not active (valid ${row.validFrom}..${row.validUntil})`
        : undefined
  return {
    endpoint: row.endpoint.replace(/\/+$/, ''),
    sender: toSenderAgreement(row, found.keys),
    ...(inactive ? { inactive } : {}),
  }
}
