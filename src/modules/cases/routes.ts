import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { contextFor, type Deps } from '../../context.js'
import { ANY_USER, type AppEnv, requireUser } from '../../http/auth.js'
import { createOutboundCase } from './create-outbound-case.js'
import { getCase } from './get-case.js'
import { contentDisposition, getMaterial, PREVIEWABLE } from './get-material.js'
import { listCases } from './list-cases.js'
import { recordClerkEvent } from './record-clerk-event.js'
import {
  CaseDetailSchema,
  CaseNoParam,
  CasePageSchema,
  CaseQuery,
  ClerkEventBody,
  MaterialParam,
  OutboundCaseBody,
} from './schemas.js'

const security = [{ bearer: [] }]
const tags = ['cases']
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } })

const listRoute = createRoute({
  method: 'get',
  path: '/v1/cases',
  tags,
  security,
  summary: 'Cases (a clerk: its department’s)',
  request: { query: CaseQuery },
  responses: { 200: { description: 'a page of cases', ...json(CasePageSchema) } },
})
const getRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{caseNo}',
  tags,
  security,
  summary: 'One case with its events and materials',
  request: { params: CaseNoParam },
  responses: {
    200: { description: 'the case', ...json(CaseDetailSchema) },
    404: { description: 'case_not_found' },
  },
})
const materialRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{caseNo}/materials/{id}',
  tags,
  security,
  summary: 'A material file',
  request: { params: MaterialParam, query: z.object({ inline: z.enum(['1']).optional() }) },
  responses: { 200: { description: 'the file' }, 404: { description: 'not found' } },
})
const eventRoute = createRoute({
  method: 'post',
  path: '/v1/cases/{caseNo}/events',
  tags,
  security,
  summary: 'A clerk’s step on the case',
  request: { params: CaseNoParam, body: json(ClerkEventBody) },
  responses: {
    201: {
      description: 'recorded and queued for the partner',
      ...json(z.object({ seq: z.number(), state: z.string() })),
    },
    409: { description: 'transition_not_allowed' },
  },
})
const outboundRoute = createRoute({
  method: 'post',
  path: '/v1/cases',
  tags,
  security,
  summary: 'A case collected at a Xinfeng window for a partner’s item',
  request: { body: json(OutboundCaseBody) },
  responses: { 201: { description: 'queued for the partner', ...json(z.object({ caseNo: z.string() })) } },
})

export function caseRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/v1/cases', requireUser(deps, ANY_USER))
  app.use('/v1/cases/*', requireUser(deps, ANY_USER))
  const ctxOf = (c: { var: AppEnv['Variables'] }) => contextFor(deps, c.var.actor, c.var.requestId)

  app.openapi(listRoute, async (c) =>
    c.json(await listCases({ ctx: ctxOf(c), actor: c.var.actor, input: c.req.valid('query') }), 200),
  )
  app.openapi(getRoute, async (c) =>
    c.json((await getCase({ ctx: ctxOf(c), actor: c.var.actor, input: c.req.valid('param') })) as never, 200),
  )
  app.openapi(materialRoute, async (c) => {
    const file = await getMaterial({ ctx: ctxOf(c), actor: c.var.actor, input: c.req.valid('param') })
    const inline = c.req.valid('query').inline === '1' && PREVIEWABLE.has(file.mediaType)
    return c.body(new Uint8Array(file.content), 200, {
      'Content-Type': file.mediaType,
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', file.fileName),
      // A partner's file is shown from our origin: it must not run anything there.
      'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
      'Cache-Control': 'private, no-store',
      Digest: `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`,
    }) as never
  })
  app.openapi(eventRoute, async (c) => {
    const result = await recordClerkEvent({
      ctx: ctxOf(c),
      actor: c.var.actor,
      input: { ...c.req.valid('param'), ...c.req.valid('json') },
    })
    return c.json(result, 201)
  })
  app.openapi(outboundRoute, async (c) => {
    const result = await createOutboundCase({
      ctx: ctxOf(c),
      actor: c.var.actor,
      trust: deps.trust,
      input: c.req.valid('json'),
    })
    return c.json(result, 201)
  })
  return app
}
