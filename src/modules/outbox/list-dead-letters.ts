import type { Ctx } from '../../context.js'
import { findDeadLetters } from './report-queries.js'

export interface DeadLetter {
  id: string
  partner: string
  caseNo: string | null
  caseSeq: number | null
  typ: string
  jti: string
  attempts: number
  lastError: string | null
  createdAt: string
  resentAt: string | null
}

/** Messages the worker gave up on, oldest first, for an operator to look into and re-send. */
export async function listDeadLetters({
  ctx,
  input,
}: {
  ctx: Ctx
  input: { partner?: string | undefined; limit?: number | undefined }
}): Promise<DeadLetter[]> {
  const limit = Math.min(Math.max(input.limit ?? 200, 1), 1000)
  const rows = await findDeadLetters(ctx.db, { partner: input.partner, limit })
  return rows.map((r) => ({
    id: r.id,
    partner: r.partnerRegion,
    caseNo: r.caseNo,
    caseSeq: r.caseSeq,
    typ: r.typ,
    jti: r.jti,
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    resentAt: r.resentAt?.toISOString() ?? null,
  }))
}
