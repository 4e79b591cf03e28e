import { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import type { Deps } from './context.js'
import { docsRoutes } from './http/docs.js'
import { healthRoutes } from './http/health.js'
import { onError, problemResponse } from './http/on-error.js'
import { requestLog } from './http/request-log.js'
import { validationHook } from './http/validation.js'
import { AppError } from './lib/errors.js'
import { problemOf } from './lib/problem.js'
import { authRoutes } from './modules/auth/routes.js'
import { catalogRoutes } from './modules/catalog/routes.js'
import { trustRoutes } from './modules/trust/routes.js'

export type App = OpenAPIHono

/** Builds the HTTP application; no listening, no side effects, so tests drive it directly. */
export function createApp(deps: Deps): App {
  const app = new OpenAPIHono({ defaultHook: validationHook })

  app.use('*', requestId({ headerName: 'X-Request-Id' }))
  app.use('*', requestLog(deps.log))
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    }),
  )
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
  app.route('/', authRoutes(deps))
  app.route('/', catalogRoutes(deps))
  app.route('/', trustRoutes(deps))
  app.route('/', docsRoutes())

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
