import type { Ctx } from '../../context.js'
import { AppError } from '../../lib/errors.js'
import { useQueryToken } from '../exchange/evidence.js'
import type { CanonicalStatus } from '../formats/canonical.js'
import { getFormat } from '../formats/registry.js'
import type { VerifiedQuery } from '../trust/envelope/index.js'
import { findCaseByPartnerNo, lastEvent } from './repository.js'

/**
 * `GET /v1/exchange/cases/{caseNo}`: the originator asks where its case stands. The answer is
 * our last status event, signed afresh, so its `seq` is the last we sent.
 */
export async function answerStatusQuery({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { query: VerifiedQuery }
}): Promise<string> {
  const { query } = input
  if (!(await useQueryToken(ctx.db, query.sender, query.jti, ctx.clock.now()))) {
    throw new AppError('replayed_message', 'This query token was used already')
  }
  const caseRow = await findCaseByPartnerNo(ctx.db, query.sender, 'inbound', query.caseNo)
  const last = caseRow ? await lastEvent(ctx.db, caseRow.id, 'ours') : undefined
  if (!caseRow || !last) throw new AppError('case_not_found', `No case ${query.caseNo} of yours`)
  const format = getFormat(query.agreement.format)
  if (!format) throw new Error(`unknown format ${query.agreement.format}`)
  const { jws } = await ctx.signer.sign({
    typ: 'kytb-status',
    cty: format.cty,
    aud: query.sender,
    payload: format.renderStatus(last.data as CanonicalStatus),
    now: ctx.clock.now(),
  })
  return jws
}
