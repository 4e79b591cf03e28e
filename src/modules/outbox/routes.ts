import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { contextFor, type Deps } from '../../context.js'
import { ADMIN_ONLY, type AppEnv, requireUser } from '../../http/auth.js'
import { deliveryHealth } from './delivery-health.js'
import { listDeadLetters } from './list-dead-letters.js'
import { resendDeadLetter } from './resend-dead-letter.js'
import { resendPartnerDeadLetters } from './resend-partner-dead-letters.js'
import {
  DeadLetterListSchema,
  DeadLetterQuery,
  DeliveryHealthSchema,
  OutboxIdParam,
  PartnerQuery,
  ResentPartnerSchema,
  ResentSchema,
} from './schemas.js'

const security = [{ bearer: [] }]
const tags = ['outbox']
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } })

const listRoute = createRoute({
  method: 'get',
  path: '/v1/outbox/dead-letters',
  tags,
  summary: 'Messages whose delivery was given up, oldest first (admin)',
  security,
  request: { query: DeadLetterQuery },
  responses: { 200: { description: 'dead letters', ...json(DeadLetterListSchema) } },
})

const resendOneRoute = createRoute({
  method: 'post',
  path: '/v1/outbox/dead-letters/{id}/resend',
  tags,
  summary: 'Re-send one dead letter: same jti and payload, back in the queue now (admin)',
  security,
  request: { params: OutboxIdParam },
  responses: {
    200: { description: 'queued again', ...json(ResentSchema) },
    404: { description: 'not_found' },
    409: { description: 'conflict: the message is not a dead letter' },
  },
})

const resendPartnerRoute = createRoute({
  method: 'post',
  path: '/v1/outbox/dead-letters/resend',
  tags,
  summary: 'Re-send every dead letter of one partner (admin)',
  security,
  request: { query: PartnerQuery },
  responses: { 200: { description: 'queued again', ...json(ResentPartnerSchema) } },
})

const healthRoute = createRoute({
  method: 'get',
  path: '/v1/outbox/health',
  tags,
  summary:
    'Delivery figures per partner: queue depth, oldest waiting message, attempts, dead letters (admin)',
  security,
  responses: { 200: { description: 'per partner', ...json(DeliveryHealthSchema) } },
})

export function outboxRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  // Dead letters carry applicants' cases and re-sending them acts on partners: administrators only.
  app.use('/v1/outbox/*', requireUser(deps, ADMIN_ONLY))

  app.openapi(listRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    return c.json({ items: await listDeadLetters({ ctx, input: c.req.valid('query') }) }, 200)
  })
  app.openapi(resendPartnerRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    return c.json(await resendPartnerDeadLetters({ ctx, input: c.req.valid('query') }), 200)
  })
  app.openapi(resendOneRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    return c.json(await resendDeadLetter({ ctx, input: c.req.valid('param') }), 200)
  })
  app.openapi(healthRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    return c.json(await deliveryHealth({ ctx }), 200)
  })
  return app
}
