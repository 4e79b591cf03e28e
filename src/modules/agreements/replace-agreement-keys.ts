import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { AppError } from '../../lib/errors.js'
import { agreementNotFound } from './get-agreement.js'
import { type Agreement, agreementIdOf } from './model.js'
import { recordAgreementChange } from './record-agreement-change.js'
import { findAgreementRow, loadAgreement, replaceKeys } from './repository.js'
import { throwIfInvalid } from './validate-agreement.js'
import { validateJwks } from './validate-jwks.js'

/**
 * Key rotation: the partner's new JWKS replaces the old one as a whole. A partner rotating
 * without a gap sends both keys, the old with `exp` and the new with `nbf`. The old set stays
 * in the previous version. Takes effect for intake once the trust store's cache entry expires.
 */
export async function replaceAgreementKeys({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { id: string; jwks: unknown }
}): Promise<Agreement> {
  const id = agreementIdOf(input.id)
  if (!id) throw agreementNotFound()
  // Pointers are relative to the request body, which is the JWKS itself: /keys/0/d.
  const { keys, errors } = await validateJwks(input.jwks, '')
  throwIfInvalid(errors)
  return withTransaction(ctx, async (tx) => {
    const row = await findAgreementRow(tx.db, id, true)
    if (!row) throw agreementNotFound()
    if (row.status === 'terminated') {
      throw new AppError('conflict', 'The agreement is terminated; its keys can no longer change')
    }
    const before = await loadAgreement(tx.db, id)
    await replaceKeys(tx.db, id, keys, { version: row.version + 1, at: tx.clock.now() })
    return recordAgreementChange(tx, id, 'keys_replaced', {
      from: before?.keys.keys.map((k) => k.kid) ?? [],
      to: keys.map((k) => k.kid),
    })
  })
}
