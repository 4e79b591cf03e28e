import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { beijingDate } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { agreementNotFound } from './get-agreement.js'
import {
  AGREEMENT_STATUS_MOVES,
  type Agreement,
  agreementIdOf,
  STATUS_ACTIONS,
  type StatusAction,
} from './model.js'
import { recordAgreementChange } from './record-agreement-change.js'
import { findAgreementRow, findOtherActive, isUniqueViolation, setAgreementStatus } from './repository.js'

const ONE_ACTIVE = 'agreements_one_active_per_partner'

/** activate | suspend | terminate, along AGREEMENT_STATUS_MOVES; each move is a new version. */
export async function changeAgreementStatus({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { id: string; action: StatusAction }
}): Promise<Agreement> {
  const id = agreementIdOf(input.id)
  if (!id) throw agreementNotFound()
  if (!Object.hasOwn(STATUS_ACTIONS, input.action))
    throw new AppError('bad_request', 'Unknown agreement action')
  const { to, change } = STATUS_ACTIONS[input.action]
  return withTransaction(ctx, async (tx) => {
    // Locked, so two administrators acting at once take turns and versions stay consecutive.
    const row = await findAgreementRow(tx.db, id, true)
    if (!row) throw agreementNotFound()
    if (!AGREEMENT_STATUS_MOVES[row.status].includes(to)) {
      throw new AppError('transition_not_allowed', `An agreement that is ${row.status} cannot become ${to}`)
    }
    if (to === 'active') {
      const today = beijingDate(tx.clock.now())
      if (today > row.validUntil) {
        throw new AppError('conflict', `The agreement ended on ${row.validUntil}; it cannot be activated`)
      }
      const other = await findOtherActive(tx.db, row.partnerRegion, id)
      if (other) throw otherActive(row.partnerRegion, other)
    }
    try {
      await setAgreementStatus(tx.db, id, { status: to, version: row.version + 1, at: tx.clock.now() })
    } catch (err) {
      // Two drafts of one partner activated at the same instant: the partial unique index decides.
      if (isUniqueViolation(err, ONE_ACTIVE)) throw otherActive(row.partnerRegion)
      throw err
    }
    return recordAgreementChange(tx, id, change, { from: row.status, to })
  })
}

function otherActive(region: string, otherId?: string): AppError {
  const which = otherId ? `Agreement ${otherId}` : 'Another agreement'
  return new AppError(
    'conflict',
    `${which} is already active for partner ${region}; suspend or terminate it before activating this one`,
  )
}
