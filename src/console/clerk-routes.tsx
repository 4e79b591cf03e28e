import { type Context, Hono } from 'hono'
import { contextFor, type Deps } from '../context.js'
import { fieldErrorsOf } from '../http/validation.js'
import { type AppError, type FieldError, isAppError } from '../lib/errors.js'
import { listAgreements } from '../modules/agreements/list-agreements.js'
import { createOutboundCase } from '../modules/cases/create-outbound-case.js'
import { getCase } from '../modules/cases/get-case.js'
import { contentDisposition, getMaterial, PREVIEWABLE } from '../modules/cases/get-material.js'
import { recordClerkEvent } from '../modules/cases/record-clerk-event.js'
import { CaseNoParam, ClerkEventBody, OutboundCaseBody } from '../modules/cases/schemas.js'
import type { PostedForm } from './components/clerk-form-values.js'
import { appErrorZh } from './components/clerk-problems.js'
import { type FailedAction, readEventForm } from './pages/case-actions.js'
import { CasePage, okNotice } from './pages/case-detail.js'
import { CaseNotFoundPage } from './pages/case-not-found.js'
import {
  OutboundFormPage,
  OutboundPartnerStep,
  type OutboundValues,
  outboundPartners,
  readOutboundForm,
} from './pages/outbound-form.js'
import type { ConsoleEnv } from './session.js'

type C = Context<ConsoleEnv>

const isCaseNo = (s: string) => CaseNoParam.safeParse({ caseNo: s }).success
const errorNotice = (text: string) => ({ kind: 'error' as const, text })

/** Clerk pages: case detail and actions, materials, the outbound case form. */
export function clerkConsoleRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>()
  const ctxOf = (c: C) => contextFor(deps, c.var.actor, c.var.requestId)
  const who = (c: C) => ({ actor: c.var.actor, csrf: c.var.csrf })

  /** Absent, or another department's: the same page. */
  const notFound = (c: C) => {
    c.status(404)
    return c.html(<CaseNotFoundPage {...who(c)} />)
  }
  const partners = async (c: C) =>
    outboundPartners(await listAgreements({ ctx: ctxOf(c), input: { status: 'active' } }))

  // ── The outbound case form (a case collected here for a partner's item) ──
  app.get('/console/cases/new', async (c) => {
    const list = await partners(c)
    const chosen = c.req.query('partner')
    const partner = list.find((p) => p.region === chosen)
    if (!partner) {
      if (chosen) c.status(404)
      return c.html(
        <OutboundPartnerStep
          {...who(c)}
          partners={list}
          chosen={chosen}
          notice={chosen ? errorNotice('所选地区没有生效的合作协议，请重新选择。') : undefined}
        />,
      )
    }
    const values: OutboundValues = { fields: {}, materials: [], form: [] }
    return c.html(
      <OutboundFormPage {...who(c)} partners={list} partner={partner} values={values} problems={[]} />,
    )
  })

  app.post('/console/cases/new', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as PostedForm
    const { body, values } = await readOutboundForm(form)
    const check = OutboundCaseBody.safeParse(body)
    let problems: FieldError[]
    let notice: string
    if (check.success) {
      try {
        const { caseNo } = await createOutboundCase({
          ctx: ctxOf(c),
          actor: c.var.actor,
          trust: deps.trust,
          input: check.data,
        })
        return c.redirect(`/console/cases/${caseNo}?ok=created`, 303)
      } catch (err) {
        if (!isAppError(err)) throw err
        problems = err.errors ?? []
        notice = appErrorZh(err)
        c.status(err.status as 422)
      }
    } else {
      problems = fieldErrorsOf(check.error)
      notice = `有 ${problems.length} 处填写有误，请修改后重新提交。`
      c.status(422)
    }
    const list = await partners(c)
    const partner = list.find((p) => p.region === values.fields.partner)
    if (!partner) {
      return c.html(
        <OutboundPartnerStep
          {...who(c)}
          partners={list}
          notice={errorNotice('所选地区没有生效的合作协议，请重新选择。')}
        />,
      )
    }
    return c.html(
      <OutboundFormPage
        {...who(c)}
        partners={list}
        partner={partner}
        values={values}
        problems={problems}
        notice={errorNotice(notice)}
      />,
    )
  })

  // ── One case ──
  app.get('/console/cases/:caseNo', async (c) => {
    const caseNo = c.req.param('caseNo')
    if (!isCaseNo(caseNo)) return notFound(c)
    const detail = await getCase({ ctx: ctxOf(c), actor: c.var.actor, input: { caseNo } }).catch(notFoundAs)
    if (!detail) return notFound(c)
    const ok = okNotice(c.req.query('ok'))
    return c.html(<CasePage {...who(c)} detail={detail} notice={ok ? { kind: 'ok', text: ok } : undefined} />)
  })

  // The file, for the session's user, with the API's headers: sandboxed, inline only when previewable.
  app.get('/console/cases/:caseNo/materials/:id', async (c) => {
    const caseNo = c.req.param('caseNo')
    if (!isCaseNo(caseNo)) return notFound(c)
    const file = await getMaterial({
      ctx: ctxOf(c),
      actor: c.var.actor,
      input: { caseNo, id: c.req.param('id') },
    }).catch(notFoundAs)
    if (!file) return notFound(c)
    const inline = c.req.query('inline') === '1' && PREVIEWABLE.has(file.mediaType)
    return c.body(new Uint8Array(file.content), 200, {
      'Content-Type': file.mediaType,
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', file.fileName),
      'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
      'Cache-Control': 'private, no-store',
      Digest: `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`,
    })
  })

  app.post('/console/cases/:caseNo/events', async (c) => {
    const caseNo = c.req.param('caseNo')
    if (!isCaseNo(caseNo)) return notFound(c)
    const form = (await c.req.parseBody({ all: true })) as PostedForm
    const { type, body, values } = await readEventForm(form)
    const check = ClerkEventBody.safeParse(body)
    let failed: FailedAction
    let notice: string
    if (check.success) {
      try {
        await recordClerkEvent({ ctx: ctxOf(c), actor: c.var.actor, input: { caseNo, ...check.data } })
        return c.redirect(`/console/cases/${caseNo}?ok=${check.data.type}`, 303)
      } catch (err) {
        if (!isAppError(err)) throw err
        if (err.code === 'case_not_found') return notFound(c)
        failed = { type, values, problems: err.errors ?? [] }
        notice = appErrorZh(err)
        c.status(err.status as 422)
      }
    } else {
      const problems = fieldErrorsOf(check.error)
      failed = { type, values, problems }
      notice = problems.some((p) => p.location === '/type')
        ? '未知的操作，请刷新页面后重试。'
        : `有 ${problems.length} 处填写有误，请修改后重新提交。`
      c.status(422)
    }
    const detail = await getCase({ ctx: ctxOf(c), actor: c.var.actor, input: { caseNo } }).catch(notFoundAs)
    if (!detail) return notFound(c)
    return c.html(<CasePage {...who(c)} detail={detail} failed={failed} notice={errorNotice(notice)} />)
  })

  return app
}

/** A case or material that is absent (or not the actor's to see) as undefined; anything else rethrown. */
function notFoundAs(err: unknown): undefined {
  if (isAppError(err) && ((err as AppError).code === 'case_not_found' || err.code === 'not_found'))
    return undefined
  throw err
}
