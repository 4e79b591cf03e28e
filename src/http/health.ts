import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Deps } from '../context.js'
import { appliedMigrationCount, expectedMigrationCount } from '../db/migrate.js'
import { AppError } from '../lib/errors.js'

const status = z.object({ status: z.string() }).openapi('HealthStatus')

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'The process is up',
  responses: { 200: { description: 'up', content: { 'application/json': { schema: status } } } },
})

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'The database is reachable and every migration is applied',
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: status } } },
    503: { description: 'not ready' },
  },
})

export function healthRoutes(deps: Deps) {
  const app = new OpenAPIHono()
  const expected = expectedMigrationCount()
  app.openapi(healthz, (c) => c.json({ status: 'ok' }, 200))
  app.openapi(readyz, async (c) => {
    try {
      const applied = await appliedMigrationCount(deps.database)
      if (applied < expected) throw new Error(`${applied} of ${expected} migrations applied`)
    } catch (cause) {
      throw new AppError('service_unavailable', 'Database not ready', { cause })
    }
    return c.json({ status: 'ready' }, 200)
  })
  return app
}
