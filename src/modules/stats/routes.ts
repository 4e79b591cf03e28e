import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { contextFor, type Deps } from '../../context.js'
import { ANY_USER, type AppEnv, requireUser } from '../../http/auth.js'
import { getStatsSummary } from './get-stats-summary.js'
import { StatsQuerySchema, StatsSummarySchema } from './schemas.js'

const summaryRoute = createRoute({
  method: 'get',
  path: '/v1/stats',
  tags: ['statistics'],
  summary:
    'Case figures in total and by partner, item, department and month of receipt (a clerk: its department)',
  security: [{ bearer: [] }],
  request: { query: StatsQuerySchema },
  responses: {
    200: { description: 'the figures', content: { 'application/json': { schema: StatsSummarySchema } } },
    401: { description: 'unauthenticated' },
    422: { description: 'validation_failed' },
  },
})

export function statsRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/v1/stats', requireUser(deps, ANY_USER))
  app.openapi(summaryRoute, async (c) => {
    const summary = await getStatsSummary({
      ctx: contextFor(deps, c.var.actor, c.var.requestId),
      input: c.req.valid('query'),
    })
    return c.json(summary, 200)
  })
  return app
}
