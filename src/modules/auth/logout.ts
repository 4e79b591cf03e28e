import type { Ctx } from '../../context.js'
import { recordAudit } from '../audit/record-audit.js'
import { revokeSession } from './repository.js'

export async function logout({ ctx, input }: { ctx: Ctx; input: { sessionId: string } }): Promise<void> {
  await revokeSession(ctx.db, input.sessionId, ctx.clock.now())
  await recordAudit(ctx, { action: 'auth.logout', subject: `session:${input.sessionId}` })
}
