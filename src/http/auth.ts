import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { Actor, Deps } from '../context.js'
import { AppError } from '../lib/errors.js'
import { findLiveSession } from '../modules/auth/repository.js'
import { readToken } from '../modules/auth/tokens.js'

export type Role = 'admin' | 'clerk'
export type UserActor = Extract<Actor, { kind: 'user' }>

export interface AppEnv {
  Variables: { requestId: string; actor: UserActor; sessionId: string }
}

export const SESSION_COOKIE = 'kytb_session'

function bearerOf(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]+)$/)
  return m?.[1]
}

/**
 * Function-level access: every route names the roles that may call it. The token comes from the
 * Authorization header (API) or the session cookie (console); either way it must name a live session.
 */
export function requireUser(
  deps: Deps & { tokenKey: Uint8Array },
  roles: readonly Role[],
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerOf(c.req.header('Authorization')) ?? getCookie(c, SESSION_COOKIE)
    if (!token) throw new AppError('unauthenticated', 'Sign in first (Authorization: Bearer <token>)')
    const now = deps.clock.now()
    const sessionId = await readToken(deps.tokenKey, token, now)
    const live = sessionId ? await findLiveSession(deps.database.db, sessionId, now) : undefined
    if (!live || !sessionId)
      throw new AppError('unauthenticated', 'The sign-in token is invalid or has expired')
    if (!roles.includes(live.user.role)) throw new AppError('forbidden', 'Your role may not do this')
    c.set('actor', {
      kind: 'user',
      userId: live.user.id,
      username: live.user.username,
      role: live.user.role,
      department: live.user.departmentCode,
    })
    c.set('sessionId', sessionId)
    await next()
  }
}

export const ANY_USER: readonly Role[] = ['admin', 'clerk']
export const ADMIN_ONLY: readonly Role[] = ['admin']

/** Object-level access: a clerk sees its own department only; anything else looks absent. */
export function canSeeDepartment(actor: UserActor, department: string | null | undefined): boolean {
  return actor.role === 'admin' || (!!department && actor.department === department)
}
