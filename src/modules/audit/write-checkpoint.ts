import { CompactSign } from 'jose'
import type { Ctx } from '../../context.js'
import type { GatewayKeyring } from '../trust/keys/keyring.js'
import { insertCheckpoint, readHead } from './repository.js'

export const CHECKPOINT_TYP = 'kytb-audit-checkpoint'

/**
 * Signs the chain's head with the gateway key. Deleting entries from the tail (and rewinding the
 * head row) cannot forge this signature, so `audit:verify` notices a checkpoint beyond the tail.
 */
export async function writeCheckpoint({ ctx, keys }: { ctx: Ctx; keys: GatewayKeyring }) {
  const head = await readHead(ctx.db)
  if (!head || head.seq === 0) return undefined
  const now = ctx.clock.now()
  const key = await keys.signingKey(now)
  const payload = { seq: head.seq, hash: head.hash, signedAt: now.toISOString() }
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: CHECKPOINT_TYP })
    .sign(key.privateKey)
  await insertCheckpoint(ctx.db, { seq: head.seq, hash: head.hash, signedAt: now, jws })
  return payload
}
