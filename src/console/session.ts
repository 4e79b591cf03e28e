import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Deps } from '../context.js'
import { type Role, resolveSession, type UserActor } from '../http/auth.js'

export const SESSION_COOKIE = 'kytb_console'
const LOGIN_CSRF_COOKIE = 'kytb_login_csrf'

export interface ConsoleEnv {
  Variables: { requestId: string; actor: UserActor; sessionId: string; csrf: string }
}

/** Secure cookies over https (directly, or behind a proxy that says so). */
const overHttps = (c: Context) =>
  c.req.url.startsWith('https://') || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'

export function setSessionCookie(c: Context, token: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: overHttps(c),
    path: '/console',
    maxAge: maxAgeSeconds,
  })
}

export const clearSessionCookie = (c: Context) => deleteCookie(c, SESSION_COOKIE, { path: '/console' })

/** The form token of a session: an HMAC of its id, so it needs no storage and dies with the session. */
export function csrfTokenFor(deps: Deps, sessionId: string): string {
  return createHmac('sha256', deps.tokenKey).update(`csrf:${sessionId}`).digest('base64url')
}

const sameToken = (a: string | undefined, b: string) =>
  !!a && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * Every console page needs a live session; without one the browser goes to the sign-in page,
 * told whether its session expired. Pages for administrators only answer a clerk with 404.
 */
export function consoleSession(
  deps: Deps,
  roles: readonly Role[] = ['admin', 'clerk'],
): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE)
    const session = token ? await resolveSession(deps, token) : undefined
    if (!session) {
      if (token) clearSessionCookie(c)
      const back = encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))
      return c.redirect(`/console/login?next=${back}${token ? '&expired=1' : ''}`, 303)
    }
    if (!roles.includes(session.actor.role)) return c.notFound()
    c.set('actor', session.actor)
    c.set('sessionId', session.sessionId)
    c.set('csrf', csrfTokenFor(deps, session.sessionId))
    await next()
  }
}

/**
 * Form posts carry the session's token in `_csrf`, and must come from our own origin (the
 * Origin header, which browsers send on every POST). Either failing refuses the post.
 */
export function checkCsrf(c: Context<ConsoleEnv>, form: Record<string, unknown>): boolean {
  return sameOrigin(c) && sameToken(typeof form._csrf === 'string' ? form._csrf : undefined, c.var.csrf)
}

export function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin')
  if (!origin) return false
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host')
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/** Before there is a session, the sign-in form is protected by a double-submit cookie. */
export function issueLoginCsrf(c: Context): string {
  const value = randomBytes(18).toString('base64url')
  setCookie(c, LOGIN_CSRF_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: overHttps(c),
    path: '/console',
  })
  return value
}

export function checkLoginCsrf(c: Context, form: Record<string, unknown>): boolean {
  const cookie = getCookie(c, LOGIN_CSRF_COOKIE)
  return (
    sameOrigin(c) && !!cookie && sameToken(typeof form._csrf === 'string' ? form._csrf : undefined, cookie)
  )
}
