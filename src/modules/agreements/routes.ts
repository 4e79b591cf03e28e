import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { contextFor, type Deps } from '../../context.js'
import { ADMIN_ONLY, type AppEnv, requireUser } from '../../http/auth.js'
import { changeAgreementStatus } from './change-agreement-status.js'
import { createAgreement } from './create-agreement.js'
import { getAgreement } from './get-agreement.js'
import { listAgreementVersions } from './list-agreement-versions.js'
import { listAgreements } from './list-agreements.js'
import type { StatusAction } from './model.js'
import { replaceAgreementKeys } from './replace-agreement-keys.js'
import {
  AgreementBody,
  AgreementDetailSchema,
  AgreementIdParam,
  AgreementListSchema,
  AgreementQuery,
  AgreementSchema,
  AgreementVersionListSchema,
  JwksBody,
} from './schemas.js'

const security = [{ bearer: [] }]
const tags = ['agreements']
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } })
const agreementResponse = { description: 'the agreement', ...json(AgreementSchema) }

const createAgreementRoute = createRoute({
  method: 'post',
  path: '/v1/agreements',
  tags,
  summary: 'Register an agreement with a partner county (admin); it starts as a draft',
  security,
  request: { body: json(AgreementBody) },
  responses: { 201: agreementResponse, 422: { description: 'validation_failed, with located errors' } },
})

const listAgreementsRoute = createRoute({
  method: 'get',
  path: '/v1/agreements',
  tags,
  summary: 'All agreements (admin)',
  security,
  request: { query: AgreementQuery },
  responses: { 200: { description: 'agreements', ...json(AgreementListSchema) } },
})

const getAgreementRoute = createRoute({
  method: 'get',
  path: '/v1/agreements/{id}',
  tags,
  summary: 'One agreement with its keys, items and versions (admin)',
  security,
  request: { params: AgreementIdParam },
  responses: {
    200: { description: 'the agreement', ...json(AgreementDetailSchema) },
    404: { description: 'not_found' },
  },
})

const versionsRoute = createRoute({
  method: 'get',
  path: '/v1/agreements/{id}/versions',
  tags,
  summary: 'Every kept version of an agreement, oldest first (admin)',
  security,
  request: { params: AgreementIdParam },
  responses: {
    200: { description: 'versions', ...json(AgreementVersionListSchema) },
    404: { description: 'not_found' },
  },
})

const replaceKeysRoute = createRoute({
  method: 'put',
  path: '/v1/agreements/{id}/keys',
  tags,
  summary: 'Replace the partner’s key set: rotation (admin)',
  security,
  request: { params: AgreementIdParam, body: json(JwksBody) },
  responses: {
    200: agreementResponse,
    404: { description: 'not_found' },
    409: { description: 'conflict: the agreement is terminated' },
    422: { description: 'validation_failed' },
  },
})

const statusRoute = (action: StatusAction, summary: string) =>
  createRoute({
    method: 'post',
    path: `/v1/agreements/{id}/${action}`,
    tags,
    summary,
    security,
    request: { params: AgreementIdParam },
    responses: {
      200: agreementResponse,
      404: { description: 'not_found' },
      409: { description: 'transition_not_allowed, or conflict (another active agreement, or expired)' },
    },
  })

const statusRoutes = {
  activate: statusRoute('activate', 'Activate: draft or suspended → active (admin)'),
  suspend: statusRoute('suspend', 'Suspend: active → suspended (admin)'),
  terminate: statusRoute('terminate', 'Terminate, for good (admin)'),
} as const

export function agreementRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  // Agreements decide whom the gateway trusts: administrators only, on every route.
  app.use('/v1/agreements/*', requireUser(deps, ADMIN_ONLY))

  app.openapi(createAgreementRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    return c.json(await createAgreement({ ctx, input: c.req.valid('json') }), 201)
  })
  app.openapi(listAgreementsRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    return c.json({ items: await listAgreements({ ctx, input: c.req.valid('query') }) }, 200)
  })
  app.openapi(getAgreementRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    return c.json(await getAgreement({ ctx, input: c.req.valid('param') }), 200)
  })
  app.openapi(versionsRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    return c.json({ items: await listAgreementVersions({ ctx, input: c.req.valid('param') }) }, 200)
  })
  app.openapi(replaceKeysRoute, async (c) => {
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    const input = { id: c.req.valid('param').id, jwks: c.req.valid('json') }
    const agreement = await replaceAgreementKeys({ ctx, input })
    // This instance trusts the new keys at once; others within the trust store's cache time.
    deps.trust.invalidate(agreement.partner.region)
    return c.json(agreement, 200)
  })
  for (const [action, route] of Object.entries(statusRoutes) as [
    StatusAction,
    typeof statusRoutes.activate,
  ][]) {
    app.openapi(route, async (c) => {
      const ctx = contextFor(deps, c.var.actor, c.var.requestId)
      const agreement = await changeAgreementStatus({ ctx, input: { id: c.req.valid('param').id, action } })
      deps.trust.invalidate(agreement.partner.region)
      return c.json(agreement, 200)
    })
  }
  return app
}
