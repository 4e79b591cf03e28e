import type { Ctx } from '../../context.js'
import { dropMessageBodies, purgeQueryTokens, purgeSessions, purgeThrottles } from './repository.js'

const DAY = 86_400_000

/**
 * The scheduled clean-up: used query tokens after 7 days, dead sessions and stale sign-in
 * counters after a day, message bodies after MESSAGE_BODY_RETENTION_DAYS. Idempotent, so every
 * instance may run it.
 */
export async function purgeExpired({ ctx }: { ctx: Ctx }) {
  const now = ctx.clock.now().getTime()
  const result = {
    queryTokens: await purgeQueryTokens(ctx.db, new Date(now - 7 * DAY)),
    sessions: await purgeSessions(ctx.db, new Date(now - DAY)),
    throttles: await purgeThrottles(ctx.db, new Date(now - DAY)),
    messageBodies: await dropMessageBodies(
      ctx.db,
      new Date(now - ctx.config.MESSAGE_BODY_RETENTION_DAYS * DAY),
    ),
  }
  if (Object.values(result).some((n) => n > 0)) ctx.log.info(result, 'purged expired data')
  return result
}
