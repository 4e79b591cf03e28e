import { readFile } from 'node:fs/promises'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { contextFor, type Deps } from '../context.js'
import { isAppError } from '../lib/errors.js'
import { projectFile } from '../lib/project-files.js'
import { login } from '../modules/auth/login.js'
import { logout } from '../modules/auth/logout.js'
import { clientAddress } from '../modules/auth/routes.js'
import { listCases } from '../modules/cases/list-cases.js'
import { adminConsoleRoutes } from './admin-routes.js'
import { clerkConsoleRoutes } from './clerk-routes.js'
import { Layout } from './components/layout.js'
import { INBOX_TABS, InboxPage, type InboxTab } from './pages/inbox.js'
import { LoginPage } from './pages/login.js'
import {
  type ConsoleEnv,
  checkCsrf,
  checkLoginCsrf,
  clearSessionCookie,
  consoleSession,
  issueLoginCsrf,
  setSessionCookie,
} from './session.js'

const ASSETS: Record<string, string> = {
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
}

/** Only our own console paths may be a sign-in's destination (no open redirect). */
const safeNext = (next: unknown) =>
  typeof next === 'string' && /^\/console(\/[A-Za-z0-9/_?=&%.-]*)?$/.test(next) && !next.startsWith('//')
    ? next
    : '/console'

export function consoleRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>()

  app.get('/console/assets/:name', async (c) => {
    const type = ASSETS[c.req.param('name')]
    if (!type) return c.notFound()
    const body = await readFile(projectFile('src/console/assets', c.req.param('name')))
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=300' })
  })

  app.get('/console/login', (c) =>
    c.html(
      <LoginPage
        csrf={issueLoginCsrf(c)}
        next={safeNext(c.req.query('next'))}
        expired={c.req.query('expired') === '1'}
      />,
    ),
  )

  app.post('/console/login', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(form.next)
    if (!checkLoginCsrf(c, form)) {
      c.status(403)
      return c.html(
        <LoginPage csrf={issueLoginCsrf(c)} next={next} error="请求来源无效，请刷新页面后重试。" />,
      )
    }
    try {
      const result = await login({
        ctx: contextFor(deps, { kind: 'system', name: 'console' }, c.var.requestId),
        input: {
          username: String(form.username ?? ''),
          password: String(form.password ?? ''),
          address: clientAddress(c),
        },
        tokenKey: deps.tokenKey,
      })
      setSessionCookie(c, result.token, deps.config.TOKEN_TTL_SECONDS)
      return c.redirect(next, 303)
    } catch (err) {
      if (!isAppError(err)) throw err
      const text =
        err.code === 'too_many_attempts'
          ? `登录失败次数过多，请 ${err.headers?.['Retry-After'] ?? ''} 秒后再试。`
          : '用户名或密码错误。'
      c.status(err.status as 401)
      return c.html(<LoginPage csrf={issueLoginCsrf(c)} next={next} error={text} />)
    }
  })

  app.use('/console', consoleSession(deps))
  app.use('/console/*', async (c, next) =>
    c.req.path.startsWith('/console/assets/') || c.req.path === '/console/login'
      ? next()
      : consoleSession(deps)(c, next),
  )
  // Bounded before anything reads it: the CSRF check below parses the whole form.
  app.use('/console/*', async (c, next) =>
    c.req.method === 'POST'
      ? bodyLimit({
          maxSize: deps.config.API_BODY_LIMIT_BYTES,
          onError: (ctx) =>
            ctx.html(
              <Layout
                title="文件过大"
                notice={{ kind: 'error', text: '提交的内容超过上限，请减小附件后重试。' }}
              />,
              413,
            ),
        })(c, next)
      : next(),
  )
  // Every form post must carry the session's token and come from our origin.
  app.use('/console/*', async (c, next) => {
    if (c.req.method !== 'POST' || c.req.path === '/console/login') return next()
    const type = c.req.header('content-type') ?? ''
    const form = type.includes('form') ? await c.req.parseBody({ all: true }) : {}
    if (!checkCsrf(c, form as Record<string, unknown>)) {
      c.status(403)
      return c.html(
        <Layout
          title="请求被拒绝"
          actor={c.var.actor}
          csrf={c.var.csrf}
          notice={{ kind: 'error', text: '请求来源无效（跨站请求），操作未执行。' }}
        />,
      )
    }
    await next()
  })

  app.post('/console/logout', async (c) => {
    await logout({
      ctx: contextFor(deps, c.var.actor, c.var.requestId),
      input: { sessionId: c.var.sessionId },
    })
    clearSessionCookie(c)
    return c.redirect('/console/login', 303)
  })

  app.get('/console', async (c) => {
    const tab = (INBOX_TABS.find(([key]) => key === c.req.query('tab'))?.[0] ?? 'new') as InboxTab
    const states = INBOX_TABS.find(([key]) => key === tab)?.[2] ?? []
    const q = (c.req.query('q') ?? '').trim().slice(0, 100)
    const cursor = c.req.query('cursor')
    const ctx = contextFor(deps, c.var.actor, c.var.requestId)
    const base = {
      ...(states.length ? { states } : {}),
      ...(tab === 'outbound'
        ? { direction: 'outbound' as const }
        : tab === 'all'
          ? {}
          : { direction: 'inbound' as const }),
      ...(q ? { q } : {}),
      limit: 50,
    }
    // Overdue cases first, then the rest newest first.
    const overdue = cursor
      ? []
      : (await listCases({ ctx, actor: c.var.actor, input: { ...base, overdue: true } })).items
    const rest = await listCases({
      ctx,
      actor: c.var.actor,
      input: { ...base, overdue: false, ...(cursor ? { cursor } : {}) },
    })
    return c.html(
      <InboxPage
        actor={c.var.actor}
        csrf={c.var.csrf}
        tab={tab}
        q={q}
        items={[...overdue, ...rest.items]}
        nextCursor={rest.nextCursor}
      />,
    )
  })

  app.route('/', clerkConsoleRoutes(deps))
  app.route('/', adminConsoleRoutes(deps))
  return app
}
