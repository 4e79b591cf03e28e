import type { MiddlewareHandler } from 'hono'
import type { Actor, Deps } from '../context.js'
import { AppError } from '../lib/errors.js'
import { findLiveSession } from '../modules/auth/repository.js'
import { readToken } from '../modules/auth/tokens.js'

export type Role = 'admin' | 'clerk'
export type UserActor = Extract<Actor, { kind: 'user' }>

export interface AppEnv {
  Variables: { requestId: string; actor: UserActor; sessionId: string }
}

function bearerOf(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]+)$/)
  return m?.[1]
}

/**
 * Function-level access: every API route names the roles that may call it. The API takes the
 * Authorization header only — accepting the console's cookie here would open every API route
 * to cross-site requests. The console has its own middleware (src/console/session.ts).
 */
export function requireUser(deps: Deps, roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerOf(c.req.header('Authorization'))
    if (!token) throw new AppError('unauthenticated', 'Sign in first (Authorization: Bearer <token>)')
    const session = await resolveSession(deps, token)
    if (!session) throw new AppError('unauthenticated', 'The sign-in token is invalid or has expired')
    if (!roles.includes(session.actor.role)) throw new AppError('forbidden', 'Your role may not do this')
    c.set('actor', session.actor)
    c.set('sessionId', session.sessionId)
    await next()
  }
}

/** The live session a token names and who it belongs to; undefined when invalid, expired or revoked. */
export async function resolveSession(
  deps: Deps,
  token: string,
): Promise<{ sessionId: string; actor: UserActor; expiresAt: Date } | undefined> {
  const now = deps.clock.now()
  const sessionId = await readToken(deps.tokenKey, token, now)
  const live = sessionId ? await findLiveSession(deps.database.db, sessionId, now) : undefined
  if (!live || !sessionId) return undefined
  return {
    sessionId,
    expiresAt: live.session.expiresAt,
    actor: {
      kind: 'user',
      userId: live.user.id,
      username: live.user.username,
      role: live.user.role,
      department: live.user.departmentCode,
    },
  }
}

export const ANY_USER: readonly Role[] = ['admin', 'clerk']
export const ADMIN_ONLY: readonly Role[] = ['admin']

/** Object-level access: a clerk sees its own department only; anything else looks absent. */
export function canSeeDepartment(actor: UserActor, department: string | null | undefined): boolean {
  return actor.role === 'admin' || (!!department && actor.department === department)
}
