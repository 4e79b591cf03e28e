import type { Ctx } from '../../context.js'
import { actorLabel, recordAudit } from '../audit/record-audit.js'
import type { Agreement, AgreementChange } from './model.js'
import { loadAgreement } from './repository.js'
import { insertVersion } from './version-repository.js'

/**
 * The tail of every write: reads the agreement back as the API shows it, keeps that as the new
 * version, and audits the change, all in the caller's transaction (so none is left without the others).
 */
export async function recordAgreementChange(
  tx: Ctx,
  id: string,
  change: AgreementChange,
  data: Record<string, unknown>,
): Promise<Agreement> {
  const agreement = await loadAgreement(tx.db, id)
  if (!agreement) throw new Error(`agreement ${id} vanished inside its own transaction`)
  await insertVersion(tx.db, {
    agreementId: id,
    version: agreement.version,
    snapshot: agreement,
    change,
    changedBy: actorLabel(tx.actor),
    changedAt: agreement.updatedAt,
  })
  await recordAudit(tx, {
    action: `agreement.${change}`,
    subject: `agreement:${id}`,
    data: { version: agreement.version, partner: agreement.partner.region, ...data },
  })
  return agreement
}
