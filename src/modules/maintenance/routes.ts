import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { contextFor, type Deps } from '../../context.js'
import { ADMIN_ONLY, type AppEnv, requireUser } from '../../http/auth.js'
import { maintenanceState, setMaintenance } from './maintenance-mode.js'

const State = z
  .object({
    enabled: z.boolean(),
    retryAfter: z.number(),
    reason: z.string().nullable(),
    since: z.string().nullable(),
  })
  .openapi('Maintenance')

const getRoute = createRoute({
  method: 'get',
  path: '/v1/maintenance',
  tags: ['operations'],
  summary: 'Whether exchange intake is paused',
  security: [{ bearer: [] }],
  responses: { 200: { description: 'state', content: { 'application/json': { schema: State } } } },
})

const putRoute = createRoute({
  method: 'put',
  path: '/v1/maintenance',
  tags: ['operations'],
  summary: 'Pause or resume exchange intake (503 with Retry-After); delivery continues',
  security: [{ bearer: [] }],
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            enabled: z.boolean(),
            retryAfter: z.number().int().min(1).max(86_400).optional(),
            reason: z.string().max(500).optional(),
          }),
        },
      },
    },
  },
  responses: { 200: { description: 'new state', content: { 'application/json': { schema: State } } } },
})

export function maintenanceRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/v1/maintenance', requireUser(deps, ADMIN_ONLY))
  app.openapi(getRoute, async (c) => c.json(await maintenanceState(deps.database.db), 200))
  app.openapi(putRoute, async (c) =>
    c.json(
      await setMaintenance({
        ctx: contextFor(deps, c.var.actor, c.var.requestId),
        input: c.req.valid('json'),
      }),
      200,
    ),
  )
  return app
}
