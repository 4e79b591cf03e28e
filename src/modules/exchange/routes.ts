import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { contextFor, type Deps } from '../../context.js'
import { AppError, isAppError } from '../../lib/errors.js'
import { recordAudit } from '../audit/record-audit.js'
import { answerStatusQuery } from '../cases/answer-status-query.js'
import { receiveCase } from '../cases/receive-case.js'
import { receiveStatus } from '../cases/receive-status.js'
import { getFormat } from '../formats/registry.js'
import { maintenanceState } from '../maintenance/maintenance-mode.js'
import { type MessageTyp, verifyMessage, verifyQueryToken } from '../trust/envelope/index.js'
import { readJoseBody } from './read-jose-body.js'

const JOSE = 'application/jose'
const joseBody = { content: { [JOSE]: { schema: z.string().openapi({ description: 'compact JWS' }) } } }
const receipt = (description: string) => ({ description, content: { [JOSE]: { schema: z.string() } } })
const refusals = {
  400: { description: 'payload_malformed' },
  401: { description: 'signature_invalid, unknown_key, stale_message, wrong_audience' },
  403: { description: 'agreement_inactive' },
  409: { description: 'replayed_message, case_conflict, transition_not_allowed, sequence_gap' },
  413: { description: 'payload_too_large' },
  415: { description: 'unsupported_media_type' },
  422: { description: 'payload_invalid, item_not_in_agreement' },
}

const postCase = createRoute({
  method: 'post',
  path: '/v1/exchange/cases',
  tags: ['exchange'],
  summary: 'A partner sends a delegated case (typ kytb-case)',
  request: { body: joseBody },
  responses: { 201: receipt('signed receipt'), 200: receipt('duplicate: the original receipt'), ...refusals },
})

const postStatus = createRoute({
  method: 'post',
  path: '/v1/exchange/status',
  tags: ['exchange'],
  summary: 'A partner sends a status event of a case (typ kytb-status)',
  request: { body: joseBody },
  responses: { 201: receipt('signed receipt'), 200: receipt('duplicate: the original receipt'), ...refusals },
})

const getCase = createRoute({
  method: 'get',
  path: '/v1/exchange/cases/{caseNo}',
  tags: ['exchange'],
  summary: 'The originator queries its case (one-time signed query token)',
  request: { params: z.object({ caseNo: z.string().min(1).max(40) }) },
  responses: {
    200: receipt('signed kytb-status of the current state'),
    404: { description: 'case_not_found' },
  },
})

export function exchangeRoutes(deps: Deps) {
  const app = new OpenAPIHono()
  const partner = { kind: 'system', name: 'exchange' } as const

  // Maintenance: partners are told to come back later (they retry 503); our own delivery goes on.
  app.use('/v1/exchange/*', async (_c, next) => {
    const state = await maintenanceState(deps.database.db)
    if (!state.enabled) return next()
    throw new AppError('service_unavailable', 'The gateway is in maintenance; retry later', {
      headers: { 'Retry-After': String(state.retryAfter) },
    })
  })

  /** Verifies the envelope, audits any refusal with its internal reason, then rethrows it. */
  const guarded = async <T>(c: Context, run: () => Promise<T>): Promise<T> => {
    const kind = c.req.method === 'GET' ? 'query' : c.req.path.endsWith('/cases') ? 'case' : 'status'
    try {
      const res = await run()
      deps.metrics.intake.inc({
        partner: c.get('sender') ?? 'unverified',
        kind,
        outcome: c.get('outcome') ?? 'ok',
      })
      return res
    } catch (err) {
      // The partner label only once the signature proved it: a forged `iss` must not make new series.
      const outcome = isAppError(err) ? err.code : 'internal_error'
      deps.metrics.intake.inc({ partner: c.get('sender') ?? 'unverified', kind, outcome })
      if (isAppError(err) && err.status < 500) {
        await recordAudit(contextFor(deps, partner, c.get('requestId')), {
          action: 'exchange.refused',
          subject: `${c.req.method} ${c.req.path}`,
          data: { code: err.code, detail: err.message, internal: err.internal ?? null, iss: senderOf(c) },
        }).catch((auditErr) => deps.log.error({ err: auditErr }, 'could not audit a refusal'))
      }
      throw err
    }
  }

  const intake = (typ: MessageTyp, run: typeof receiveCase) => async (c: Context) =>
    guarded(c, async () => {
      const now = deps.clock.now()
      const body = await readJoseBody(c.req.raw, {
        hardCap: deps.config.EXCHANGE_MAX_BODY_BYTES,
        trust: deps.trust,
      })
      c.set('jws', body)
      const message = await verifyMessage({
        contentType: c.req.header('content-type'),
        body,
        expectedTyp: typ,
        now,
        ownRegion: deps.config.GATEWAY_REGION,
        trust: deps.trust,
      })
      c.set('sender', message.sender)
      const format = getFormat(message.agreement.format)
      if (!format) throw new AppError('internal_error', `format ${message.agreement.format} is not installed`)
      const ctx = contextFor(deps, { kind: 'partner', region: message.sender }, c.get('requestId'))
      const result = await run({ ctx, input: { message, jws: body, format } })
      c.set('outcome', result.status === 201 ? 'accepted' : 'duplicate')
      return c.body(result.receipt, result.status, { 'Content-Type': JOSE })
    })

  app.openapi(postCase, intake('kytb-case', receiveCase) as never)
  app.openapi(postStatus, intake('kytb-status', receiveStatus) as never)

  app.openapi(getCase, (async (c: Context) =>
    guarded(c, async () => {
      const caseNo = c.req.param('caseNo') as string
      const query = await verifyQueryToken(c.req.header('authorization'), {
        expectedCaseNo: caseNo,
        now: deps.clock.now(),
        ownRegion: deps.config.GATEWAY_REGION,
        trust: deps.trust,
      })
      c.set('sender', query.sender)
      const ctx = contextFor(deps, { kind: 'partner', region: query.sender }, c.get('requestId'))
      const jws = await answerStatusQuery({ ctx, input: { query } })
      return c.body(jws, 200, { 'Content-Type': JOSE })
    })) as never)
  return app
}

/** The claimed sender, for the audit entry of a refusal (unverified by definition). */
function senderOf(c: Context): string | null {
  const jws =
    (c.get('jws') as string | undefined) ?? c.req.header('authorization')?.replace(/^Bearer\s+/i, '')
  try {
    const header = JSON.parse(Buffer.from((jws ?? '').split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      iss?: unknown
    }
    return typeof header.iss === 'string' ? header.iss.slice(0, 16) : null
  } catch {
    return null
  }
}
