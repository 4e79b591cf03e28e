import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { agreementNotFound } from './get-agreement.js'
import { type AgreementVersion, agreementIdOf } from './model.js'
import { findAgreementRow } from './repository.js'
import { listVersions } from './version-repository.js'

/** Every kept version of an agreement, oldest first, each with the agreement as it was then. */
export async function listAgreementVersions({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { id: string }
}): Promise<AgreementVersion[]> {
  const id = agreementIdOf(input.id)
  if (!id) throw agreementNotFound()
  return withTransaction(ctx, async (tx) => {
    if (!(await findAgreementRow(tx.db, id))) throw agreementNotFound()
    return listVersions(tx.db, id)
  })
}
