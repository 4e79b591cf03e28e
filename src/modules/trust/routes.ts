import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Deps } from '../../context.js'

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['trust'],
  summary: "The gateway's public signing keys (partners verify receipts and events with them)",
  responses: {
    200: {
      description: 'JWKS',
      content: {
        'application/json': {
          schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('Jwks'),
        },
      },
    },
  },
})

export function trustRoutes(deps: Deps) {
  const app = new OpenAPIHono()
  app.openapi(jwksRoute, async (c) => {
    await deps.keys.refresh()
    c.header('Cache-Control', 'public, max-age=300')
    return c.json(deps.keys.publicJwks(deps.clock.now()) as { keys: Record<string, unknown>[] }, 200)
  })
  return app
}
