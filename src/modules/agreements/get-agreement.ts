import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { AppError } from '../../lib/errors.js'
import { type Agreement, type AgreementVersionSummary, agreementIdOf } from './model.js'
import { loadAgreement } from './repository.js'
import { listVersionSummaries } from './version-repository.js'

export const agreementNotFound = () => new AppError('not_found', 'No such agreement')

/** One agreement with its keys, items, and the list of its kept versions. */
export async function getAgreement({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { id: string }
}): Promise<Agreement & { versions: AgreementVersionSummary[] }> {
  const id = agreementIdOf(input.id)
  if (!id) throw agreementNotFound()
  return withTransaction(ctx, async (tx) => {
    const agreement = await loadAgreement(tx.db, id)
    if (!agreement) throw agreementNotFound()
    return { ...agreement, versions: await listVersionSummaries(tx.db, id) }
  })
}
