import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import type { Agreement } from './model.js'
import { recordAgreementChange } from './record-agreement-change.js'
import { insertAgreement } from './repository.js'
import type { AgreementBodyInput } from './schemas.js'
import { validateAgreement } from './validate-agreement.js'

/** Registers an agreement as a draft (version 1); it trusts nothing until it is activated. */
export async function createAgreement({
  ctx,
  input,
}: {
  ctx: Ctx
  input: AgreementBodyInput
}): Promise<Agreement> {
  // Validation (key imports, catalogue look-ups) happens before the transaction, to keep it short.
  const draft = await validateAgreement({ ctx, input })
  return withTransaction(ctx, async (tx) => {
    const id = randomUUID()
    await insertAgreement(tx.db, { ...draft, id, status: 'draft', version: 1, at: tx.clock.now() })
    return recordAgreementChange(tx, id, 'created', {
      format: draft.format,
      endpoint: draft.endpoint,
      kids: draft.keys.map((k) => k.kid),
      items: draft.items.length,
    })
  })
}
