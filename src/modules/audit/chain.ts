import { createHash } from 'node:crypto'
import { stableStringify } from '../../lib/stable-json.js'

export const GENESIS_HASH = '0'.repeat(64)

export interface ChainedFields {
  seq: number
  at: Date
  actor: string
  action: string
  subject: string
  data: unknown
}

/** sha256(prev ‖ canonical JSON of the entry): changing, removing or reordering an entry breaks every later hash. */
export function entryHash(prevHash: string, e: ChainedFields): string {
  const body = stableStringify({
    seq: e.seq,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    data: e.data,
  })
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex')
}
