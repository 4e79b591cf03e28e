import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import type { Agreement, AgreementStatus } from './model.js'
import { loadAgreements } from './repository.js'

/** All agreements (there are a handful per partner), by partner, newest first; optionally filtered. */
export async function listAgreements({
  ctx,
  input = {},
}: {
  ctx: Ctx
  input?: { partner?: string | undefined; status?: AgreementStatus | undefined }
}): Promise<Agreement[]> {
  return withTransaction(ctx, (tx) => loadAgreements(tx.db, input))
}
