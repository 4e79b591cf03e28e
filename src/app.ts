import { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { consoleRoutes } from './console/routes.js'
import type { Deps } from './context.js'
import { defaultContentSecurityPolicy } from './http/csp.js'
import { docsRoutes } from './http/docs.js'
import { healthRoutes } from './http/health.js'
import { httpMetrics, metricsRoutes } from './http/metrics.js'
import { onError, problemResponse } from './http/on-error.js'
import { requestLog } from './http/request-log.js'
import { validationHook } from './http/validation.js'
import { AppError } from './lib/errors.js'
import { problemOf } from './lib/problem.js'
import { agreementRoutes } from './modules/agreements/routes.js'
import { authRoutes } from './modules/auth/routes.js'
import { calendarRoutes } from './modules/calendar/routes.js'
import { caseRoutes } from './modules/cases/routes.js'
import { catalogRoutes } from './modules/catalog/routes.js'
import { exchangeRoutes } from './modules/exchange/routes.js'
import { maintenanceRoutes } from './modules/maintenance/routes.js'
import { outboxRoutes } from './modules/outbox/routes.js'
import { statsRoutes } from './modules/stats/routes.js'
import { trustRoutes } from './modules/trust/routes.js'

export type App = OpenAPIHono

/** Builds the HTTP application; no listening, no side effects, so tests drive it directly. */
export function createApp(deps: Deps): App {
  const app = new OpenAPIHono({ defaultHook: validationHook })

  app.use('*', requestId({ headerName: 'X-Request-Id' }))
  app.use('*', requestLog(deps.log))
  app.use('*', httpMetrics(deps))
  // `same-origin`, not `no-referrer`: under no-referrer Chromium sends `Origin: null` on form
  // posts, and the console's CSRF check needs the real origin.
  app.use('*', secureHeaders({ contentSecurityPolicy: undefined, referrerPolicy: 'same-origin' }))
  app.use('*', defaultContentSecurityPolicy)
  // The exchange routes read their bodies themselves, against each agreement's own limit.
  app.use('/v1/*', async (c, next) => {
    if (c.req.path.startsWith('/v1/exchange/')) return next()
    return bodyLimit({
      maxSize: deps.config.API_BODY_LIMIT_BYTES,
      onError: () => {
        throw new AppError('payload_too_large', `Request body over ${deps.config.API_BODY_LIMIT_BYTES} bytes`)
      },
    })(c, next)
  })

  app.route('/', healthRoutes(deps))
  app.route('/', metricsRoutes(deps))
  app.route('/', authRoutes(deps))
  app.route('/', catalogRoutes(deps))
  app.route('/', calendarRoutes(deps))
  app.route('/', agreementRoutes(deps))
  app.route('/', exchangeRoutes(deps))
  app.route('/', maintenanceRoutes(deps))
  app.route('/', outboxRoutes(deps))
  app.route('/', statsRoutes(deps))
  app.route('/', caseRoutes(deps))
  app.route('/', trustRoutes(deps))
  app.route('/', docsRoutes())
  app.route('/', consoleRoutes(deps))

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Xinfeng 跨域通办 gateway API',
      version: '1.0.0',
      description:
        "The gateway's own API (gateway-api-v1.md) and the partner exchange (exchange-protocol-v1.md).",
    },
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })

  app.notFound((c) =>
    problemResponse(c, problemOf('not_found', `No route for ${c.req.method} ${c.req.path}`)),
  )
  app.onError(onError(deps.log))
  return app
}
