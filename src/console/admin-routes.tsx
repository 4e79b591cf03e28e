import { type Context, Hono } from 'hono'
import { type Ctx, contextFor, type Deps } from '../context.js'
import { fieldErrorsOf } from '../http/validation.js'
import { beijingDate } from '../lib/clock.js'
import { AppError, isAppError } from '../lib/errors.js'
import { changeAgreementStatus } from '../modules/agreements/change-agreement-status.js'
import { createAgreement } from '../modules/agreements/create-agreement.js'
import { getAgreement } from '../modules/agreements/get-agreement.js'
import { listAgreementVersions } from '../modules/agreements/list-agreement-versions.js'
import { listAgreements } from '../modules/agreements/list-agreements.js'
import type { StatusAction } from '../modules/agreements/model.js'
import { replaceAgreementKeys } from '../modules/agreements/replace-agreement-keys.js'
import { recordAudit } from '../modules/audit/record-audit.js'
import { latestEntries } from '../modules/audit/repository.js'
import { verifyAuditChain } from '../modules/audit/verify-chain.js'
import { createUser } from '../modules/auth/create-user.js'
import { listUsers } from '../modules/auth/list-users.js'
import { changeItemStatus } from '../modules/catalog/change-item-status.js'
import { listDepartments } from '../modules/catalog/get-item.js'
import { listItems } from '../modules/catalog/list-items.js'
import { ITEM_MODES, ITEM_STATUSES, type ItemMode, type ItemStatus } from '../modules/catalog/model.js'
import { deliveryHealth } from '../modules/outbox/delivery-health.js'
import { listDeadLetters } from '../modules/outbox/list-dead-letters.js'
import { resendDeadLetter } from '../modules/outbox/resend-dead-letter.js'
import { resendPartnerDeadLetters } from '../modules/outbox/resend-partner-dead-letters.js'
import { NO_CASES } from '../modules/stats/figures.js'
import { getAllItemFigures } from '../modules/stats/get-all-item-figures.js'
import { getStatsSummary, type StatsSummary } from '../modules/stats/get-stats-summary.js'
import { rotateKeys } from '../modules/trust/keys/rotate-keys.js'
import { describeError, type ErrorView, jwksLabel } from './components/admin-form-errors.js'
import { doneNotice } from './components/admin-labels.js'
import { type PostedForm as FormBody, text } from './components/form-values.js'
import { readJwksField } from './components/jwks-field.js'
import { AgreementPage } from './pages/admin-agreement.js'
import { emptyAgreementForm, NewAgreementPage, readAgreementForm } from './pages/admin-agreement-new.js'
import { AgreementsPage } from './pages/admin-agreements.js'
import { AUDIT_PAGE, AuditPage } from './pages/admin-audit.js'
import { DeadLettersPage } from './pages/admin-dead-letters.js'
import { ITEM_FILTER_KEYS, type ItemFilterQuery, ItemsPage, itemsQueryString } from './pages/admin-items.js'
import { KeysPage } from './pages/admin-keys.js'
import { readUserForm, USER_FIELD_ZH, UserForm, UsersPage } from './pages/admin-users.js'
import { DashboardPage, type PartnerMonths } from './pages/dashboard.js'
import { type ConsoleEnv, consoleSession } from './session.js'

type C = Context<ConsoleEnv>

/** Runs a service verb; an AppError comes back as a value for the page to show, anything else is thrown. */
async function attempt<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; error?: undefined } | { value?: undefined; error: AppError }> {
  try {
    return { value: await fn() }
  } catch (err) {
    if (isAppError(err)) return { error: err }
    throw err
  }
}

const ACTIONS: readonly StatusAction[] = ['activate', 'suspend', 'terminate']

/** Chinese for the conflicts an agreement's page can meet (see change-agreement-status.ts). */
function agreementConflict(err: AppError): string | undefined {
  if (err.code === 'transition_not_allowed')
    return '协议当前的状态不允许此操作（可能刚被他人变更），请刷新页面。'
  if (err.code !== 'conflict') return undefined
  if (/already active/.test(err.message))
    return '该合作方已有一个生效的协议：请先暂停或终止它，再启用本协议。'
  if (/ended on/.test(err.message)) return '协议有效期已过，不能启用。'
  if (/terminated/.test(err.message)) return '协议已终止，不能再更换公钥。'
  return undefined
}

/** Administrator pages (under /console/admin) and the dashboard. */
export function adminConsoleRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>()
  // A clerk's session is valid, but these pages do not exist for it (404, not 403).
  app.use('/console/admin', consoleSession(deps, ['admin']))
  app.use('/console/admin/*', consoleSession(deps, ['admin']))

  const ctxOf = (c: C): Ctx => contextFor(deps, c.var.actor, c.var.requestId)
  const base = (c: C) => ({ actor: c.var.actor, csrf: c.var.csrf, notice: doneNotice(c.req.query('done')) })
  const formOf = async (c: C) => (await c.req.parseBody({ all: true })) as FormBody
  const crossCityItems = async (ctx: Ctx) =>
    (await listItems({ ctx, input: { crossCity: true, limit: 1000 } })).items

  app.get('/console/admin', (c) => c.redirect('/console/admin/agreements', 303))

  // ---- agreements

  app.get('/console/admin/agreements', async (c) => {
    const agreements = await listAgreements({ ctx: ctxOf(c) })
    return c.html(<AgreementsPage {...base(c)} agreements={agreements} />)
  })

  const renderNew = async (
    c: C,
    state = emptyAgreementForm(beijingDate(deps.clock.now())),
    error?: ErrorView,
  ) => {
    const ctx = ctxOf(c)
    const catalogue = await crossCityItems(ctx)
    const departments = await listDepartments({ ctx })
    return c.html(
      <NewAgreementPage
        {...base(c)}
        state={state}
        catalogue={catalogue}
        departments={departments}
        error={error}
      />,
    )
  }
  app.get('/console/admin/agreements/new', (c) => renderNew(c))

  app.post('/console/admin/agreements', async (c) => {
    const body = await formOf(c)
    const ctx = ctxOf(c)
    const jwks = await readJwksField(body, '/keys')
    const { state, input, labelOf } = readAgreementForm(body, jwks.text, jwks.jwks, await crossCityItems(ctx))
    const result = await attempt(() => createAgreement({ ctx, input }))
    if (!result.error)
      return c.redirect(`/console/admin/agreements/${result.value.id}?done=agreement_created`, 303)
    let err = result.error
    if (jwks.error) {
      // The JWKS could not even be read: say so, with whatever else the service found.
      const others = (err.errors ?? []).filter((e) => !e.location.startsWith('/keys'))
      err = new AppError('validation_failed', 'invalid', { errors: [jwks.error, ...others] })
    }
    c.status(err.status as 422)
    return renderNew(c, state, describeError(err, { labelOf }))
  })

  const renderAgreement = async (c: C, id: string, extra: { error?: ErrorView; jwks?: string } = {}) => {
    const ctx = ctxOf(c)
    const agreement = await getAgreement({ ctx, input: { id } })
    const versions = await listAgreementVersions({ ctx, input: { id } })
    // The names of its items: those of the partner's agreements, in one query.
    const named = await listItems({ ctx, input: { partner: agreement.partner.region, limit: 5000 } })
    return c.html(
      <AgreementPage
        {...base(c)}
        agreement={agreement}
        versions={versions}
        items={new Map(named.items.map((i) => [i.code, i]))}
        error={extra.error}
        jwks={extra.jwks}
      />,
    )
  }
  app.get('/console/admin/agreements/:id', (c) => renderAgreement(c, c.req.param('id')))

  app.post('/console/admin/agreements/:id/:action{activate|suspend|terminate}', async (c) => {
    const id = c.req.param('id')
    const action = ACTIONS.find((a) => a === c.req.param('action'))
    if (!action) return c.notFound()
    const result = await attempt(() => changeAgreementStatus({ ctx: ctxOf(c), input: { id, action } }))
    if (result.error) {
      if (result.error.code === 'not_found') throw result.error
      c.status(result.error.status as 409)
      return renderAgreement(c, id, {
        error: describeError(result.error, { detail: agreementConflict(result.error) }),
      })
    }
    deps.trust.invalidate(result.value.partner.region)
    return c.redirect(
      `/console/admin/agreements/${result.value.id}?done=agreement_${result.value.status}`,
      303,
    )
  })

  app.post('/console/admin/agreements/:id/keys', async (c) => {
    const id = c.req.param('id')
    const jwks = await readJwksField(await formOf(c), '')
    const labelOf = (location: string) => jwksLabel(location, '')
    const result = jwks.error
      ? { error: new AppError('validation_failed', 'invalid', { errors: [jwks.error] }) }
      : await attempt(() => replaceAgreementKeys({ ctx: ctxOf(c), input: { id, jwks: jwks.jwks } }))
    if (result.error) {
      if (result.error.code === 'not_found') throw result.error
      c.status(result.error.status as 422)
      const error = describeError(result.error, { labelOf, detail: agreementConflict(result.error) })
      return renderAgreement(c, id, { error, jwks: jwks.text })
    }
    deps.trust.invalidate(result.value.partner.region)
    return c.redirect(`/console/admin/agreements/${result.value.id}?done=keys_replaced`, 303)
  })

  // ---- catalogue

  const itemQueryOf = (get: (key: string) => string | undefined | null): ItemFilterQuery =>
    Object.fromEntries(
      ITEM_FILTER_KEYS.map((k) => [k, (get(k) ?? '').trim().slice(0, k === 'cursor' ? 512 : 100)]).filter(
        ([, v]) => v,
      ),
    )

  const renderItems = async (c: C, query: ItemFilterQuery, error?: AppError) => {
    const ctx = ctxOf(c)
    const bool = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : undefined)
    const crossCity = bool(query.crossCity)
    const township = bool(query.township)
    const page = await attempt(() =>
      listItems({
        ctx,
        input: {
          limit: 50,
          ...(query.department ? { department: query.department } : {}),
          ...(ITEM_STATUSES.includes(query.status as ItemStatus)
            ? { status: query.status as ItemStatus }
            : {}),
          ...(ITEM_MODES.includes(query.mode as ItemMode) ? { mode: query.mode as ItemMode } : {}),
          ...(crossCity === undefined ? {} : { crossCity }),
          ...(township === undefined ? {} : { township }),
          ...(query.q ? { q: query.q } : {}),
          ...(query.cursor ? { cursor: query.cursor } : {}),
        },
      }),
    )
    const shown = error ?? page.error
    if (shown) c.status(shown.status as 422)
    return c.html(
      <ItemsPage
        {...base(c)}
        query={query}
        departments={await listDepartments({ ctx })}
        items={page.value?.items ?? []}
        total={page.value?.total ?? 0}
        nextCursor={page.value?.nextCursor ?? null}
        figures={await getAllItemFigures({ ctx })}
        error={
          shown &&
          describeError(shown, {
            labelOf: (l) => (l === '/query/cursor' ? '分页' : undefined),
            detail:
              shown.code === 'transition_not_allowed'
                ? '该事项当前的状态不允许此变更（可能刚被他人变更）。'
                : undefined,
          })
        }
      />,
    )
  }
  app.get('/console/admin/items', (c) =>
    renderItems(
      c,
      itemQueryOf((k) => c.req.query(k)),
    ),
  )

  app.post('/console/admin/items/:code/status', async (c) => {
    const body = await formOf(c)
    const back = new URLSearchParams(text(body, 'back'))
    const query = itemQueryOf((k) => back.get(k))
    const code = c.req.param('code')
    const status = text(body, 'status')
    if (!ITEM_STATUSES.includes(status as ItemStatus)) {
      return renderItems(c, query, new AppError('bad_request', `unknown status ${status}`))
    }
    const result = await attempt(() =>
      changeItemStatus({ ctx: ctxOf(c), input: { code, status: status as ItemStatus } }),
    )
    if (result.error) return renderItems(c, query, result.error)
    const qs = itemsQueryString(query)
    return c.redirect(
      `/console/admin/items?${qs ? `${qs}&` : ''}done=item_status#item-${encodeURIComponent(code)}`,
      303,
    )
  })

  // ---- users

  const renderUsers = async (
    c: C,
    extra: { state?: ReturnType<typeof readUserForm>['state']; error?: ErrorView } = {},
  ) => {
    const ctx = ctxOf(c)
    const [users, departments] = [await listUsers({ ctx }), await listDepartments({ ctx })]
    return c.html(<UsersPage {...base(c)} users={users} departments={departments} {...extra} />)
  }
  app.get('/console/admin/users', (c) => renderUsers(c))

  app.post('/console/admin/users', async (c) => {
    const { state, raw } = readUserForm(await formOf(c))
    const parsed = UserForm.safeParse(raw)
    const result = parsed.success
      ? await attempt(() => createUser({ ctx: ctxOf(c), input: parsed.data }))
      : { error: new AppError('validation_failed', 'invalid', { errors: fieldErrorsOf(parsed.error) }) }
    if (!result.error) return c.redirect('/console/admin/users?done=user_created', 303)
    c.status(result.error.status as 422)
    const detail = result.error.code === 'conflict' ? `用户名 ${state.username} 已存在。` : undefined
    return renderUsers(c, {
      state,
      error: describeError(result.error, { labelOf: (l) => USER_FIELD_ZH[l], detail }),
    })
  })

  // ---- dead letters and delivery health

  const renderDeadLetters = async (c: C, error?: AppError) => {
    const ctx = ctxOf(c)
    const partner = /^\d{6}$/.test(c.req.query('partner') ?? '') ? c.req.query('partner') : undefined
    const letters = await listDeadLetters({ ctx, input: { partner, limit: 500 } })
    const health = await deliveryHealth({ ctx })
    if (error) c.status(error.status as 409)
    const detail =
      error?.code === 'conflict' ? '该消息已不是死信（可能已被重新发送或已送达），请刷新页面。' : undefined
    return c.html(
      <DeadLettersPage
        {...base(c)}
        {...(error
          ? { notice: { kind: 'error' as const, text: describeError(error, { detail }).title } }
          : {})}
        partner={partner ?? ''}
        letters={letters}
        health={health.partners}
      />,
    )
  }
  app.get('/console/admin/dead-letters', (c) => renderDeadLetters(c))

  app.post('/console/admin/dead-letters/resend', async (c) => {
    const partner = text(await formOf(c), 'partner')
    const result = await attempt(() => resendPartnerDeadLetters({ ctx: ctxOf(c), input: { partner } }))
    if (result.error) return renderDeadLetters(c, result.error)
    return c.redirect('/console/admin/dead-letters?done=resent_partner', 303)
  })

  app.post('/console/admin/dead-letters/:id/resend', async (c) => {
    const result = await attempt(() => resendDeadLetter({ ctx: ctxOf(c), input: { id: c.req.param('id') } }))
    if (result.error) return renderDeadLetters(c, result.error)
    return c.redirect('/console/admin/dead-letters?done=resent', 303)
  })

  // ---- audit log

  app.get('/console/admin/audit', async (c) => {
    const raw = Number(c.req.query('before'))
    const before = Number.isSafeInteger(raw) && raw > 0 ? raw : undefined
    const db = ctxOf(c).db
    const entries = await latestEntries(db, AUDIT_PAGE, before)
    // The whole chain is recomputed: on the first page only, not on every step back.
    const report = before === undefined ? await verifyAuditChain(db, deps.keys.allPublicKeys()) : undefined
    return c.html(<AuditPage {...base(c)} entries={entries} report={report} before={before} />)
  })

  // ---- gateway keys

  const renderKeys = async (c: C, notice?: { kind: 'error'; text: string }) => {
    await deps.keys.refresh()
    return c.html(
      <KeysPage
        {...base(c)}
        {...(notice ? { notice } : {})}
        keys={deps.keys.allPublicKeys()}
        now={deps.clock.now()}
        fromPemFile={!!deps.config.GATEWAY_KEY_FILE}
        overlapHours={deps.config.KEY_ROTATION_OVERLAP_HOURS}
      />,
    )
  }
  app.get('/console/admin/keys', (c) => renderKeys(c))

  app.post('/console/admin/keys/rotate', async (c) => {
    if (deps.config.GATEWAY_KEY_FILE) {
      c.status(409)
      return renderKeys(c, { kind: 'error', text: '签名密钥来自 GATEWAY_KEY_FILE，不能在控制台轮换。' })
    }
    const added = await rotateKeys(
      deps.config.DATA_DIR,
      deps.clock.now(),
      deps.config.KEY_ROTATION_OVERLAP_HOURS,
    )
    await recordAudit(ctxOf(c), { action: 'keys.rotated', subject: `key:${added.kid}`, data: { ...added } })
    await deps.keys.refresh()
    return c.redirect('/console/admin/keys?done=keys_rotated', 303)
  })

  // ---- dashboard (every signed-in user; a clerk's figures are its department's)

  app.get('/console/dashboard', async (c) => {
    const ctx = ctxOf(c)
    const from = (c.req.query('from') ?? '').trim()
    const to = (c.req.query('to') ?? '').trim()
    const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) }
    const result = await attempt(() => getStatsSummary({ ctx, input: range }))
    const summary: StatsSummary = result.value ?? {
      totals: NO_CASES,
      byPartner: [],
      byItem: [],
      byDepartment: [],
      byMonth: [],
    }
    const perPartner: PartnerMonths[] = []
    for (const { partner } of summary.byPartner) {
      const one = await getStatsSummary({ ctx, input: { ...range, partner } })
      perPartner.push({ partner, months: new Map(one.byMonth.map((m) => [m.month, m.received])) })
    }
    const actor = c.var.actor
    const department =
      actor.role === 'clerk'
        ? ((await listDepartments({ ctx })).find((d) => d.code === actor.department)?.name ??
          actor.department ??
          '')
        : undefined
    const health = actor.role === 'admin' ? (await deliveryHealth({ ctx })).partners : undefined
    if (result.error) c.status(result.error.status as 422)
    return c.html(
      <DashboardPage
        {...base(c)}
        from={from}
        to={to}
        summary={summary}
        perPartner={perPartner}
        department={department}
        health={health}
        error={
          result.error &&
          describeError(result.error, {
            labelOf: (l) => ({ '/query/from': '起始月份', '/query/to': '截止月份' })[l],
          })
        }
      />,
    )
  })

  return app
}
