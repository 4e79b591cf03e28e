import type { Ctx } from '../../context.js'
import type { UserActor } from '../../http/auth.js'
import { beijingDate } from '../../lib/clock.js'
import { decodeCursor, encodeCursor } from '../../lib/cursor.js'
import { loadCalendar } from '../calendar/overrides/load-calendar.js'
import { findCases } from './repository.js'
import { type CaseSummary, summaryOf } from './view.js'

export interface ListCasesInput {
  state?: string | undefined
  states?: readonly string[] | undefined
  direction?: 'inbound' | 'outbound' | undefined
  partner?: string | undefined
  item?: string | undefined
  overdue?: boolean | undefined
  q?: string | undefined
  department?: string | undefined
  limit: number
  cursor?: string | undefined
}

const isCaseCursor = (v: Record<string, unknown>): v is { at: string; id: string } =>
  typeof v.at === 'string' && typeof v.id === 'string' && !Number.isNaN(Date.parse(v.at))

/** Newest first. A clerk's list is always its own department's, whatever it asks for. */
export async function listCases({
  ctx,
  actor,
  input,
}: {
  ctx: Ctx
  actor: UserActor
  input: ListCasesInput
}): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
  const today = beijingDate(ctx.clock.now())
  const before = input.cursor ? decodeCursor(input.cursor, isCaseCursor) : undefined
  const department = actor.role === 'admin' ? input.department : (actor.department ?? '\u0000')
  const rows = await findCases(
    ctx.db,
    { ...input, department, today },
    {
      limit: input.limit + 1,
      ...(before ? { before: { receivedAt: new Date(before.at), id: before.id } } : {}),
    },
  )
  const page = rows.slice(0, input.limit)
  const calendar = await loadCalendar(ctx)
  const last = page.at(-1)
  return {
    items: page.map((r) => summaryOf(r, today, calendar)),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor({ at: last.receivedAt.toISOString(), id: last.id })
        : null,
  }
}
